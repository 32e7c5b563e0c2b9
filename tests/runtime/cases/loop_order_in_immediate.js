// Immediates queued while immediates run wait for the next check phase; ticks and
// microtasks run between two immediates.
setImmediate(() => {
  console.log('immediate A');
  setImmediate(() => console.log('immediate C (next iteration)'));
  process.nextTick(() => console.log('tick after A'));
  Promise.resolve().then(() => console.log('promise after A'));
});
setImmediate(() => {
  console.log('immediate B');
  Promise.resolve().then(() => {
    console.log('promise after B');
    process.nextTick(() => console.log('tick queued by a promise'));
  });
});
const cleared = setImmediate(() => console.log('never'));
clearImmediate(cleared);
