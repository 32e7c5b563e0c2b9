// With an 'uncaughtException' listener, errors thrown by callbacks go to it and the
// program goes on.
process.on('uncaughtException', (error, origin) => console.log('caught:', error.message, 'origin:', origin));
process.on('exit', (code) => console.log('exit', code));
setTimeout(() => {
  throw new Error('from a timer');
}, 1);
setTimeout(() => {
  console.log('later timer still runs');
  setImmediate(() => {
    throw new Error('from an immediate');
  });
  setImmediate(() => console.log('next immediate runs too'));
  // Started here, so that a stalled host cannot bring its first tick into the same
  // timers phase as this callback.
  let ticks = 0;
  const interval = setInterval(() => {
    if (++ticks === 3) clearInterval(interval);
    throw new Error(`from interval ${ticks}`);
  }, 100);
}, 5);
queueMicrotask(() => {
  throw new Error('from a microtask');
});
throw new Error('from the main script');
