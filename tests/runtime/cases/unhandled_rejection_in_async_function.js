async function work() {
  await null;
  throw new TypeError('async failure');
}
work();
