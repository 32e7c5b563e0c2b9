// Inside a timer callback the order is deterministic: nextTick, microtasks, then the
// immediate (check phase of this iteration), then timers of the next iteration.
setTimeout(() => {
  console.log('timer 1');
  setTimeout(() => console.log('timeout 0'), 0);
  setImmediate(() => console.log('immediate'));
  Promise.resolve().then(() => console.log('promise'));
  process.nextTick(() => console.log('tick'));
  queueMicrotask(() => console.log('microtask'));
}, 1);
setTimeout(() => console.log('timer 2 (due in the same pass, runs after timer 1 drained)'), 1);
// Both timers are due before the loop starts, whatever millisecond each was set in.
const until = Date.now() + 5;
while (Date.now() < until);
