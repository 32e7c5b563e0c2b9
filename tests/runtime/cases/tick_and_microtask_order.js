// Node's processTicksAndRejections: every tick first, then every microtask, repeated.
console.log('script');
process.nextTick(() => {
  console.log('tick 1');
  process.nextTick(() => console.log('tick 1.1 (same batch)'));
  Promise.resolve().then(() => console.log('promise from tick 1'));
});
process.nextTick((a, b) => console.log('tick 2 with', a, b), 'x', 42);
Promise.resolve().then(() => {
  console.log('promise 1');
  process.nextTick(() => console.log('tick from promise 1'));
  Promise.resolve().then(() => console.log('promise 1.1'));
});
queueMicrotask(() => console.log('microtask'));
(async () => {
  console.log('async start');
  await null;
  console.log('async after await');
})();
console.log('script end');
