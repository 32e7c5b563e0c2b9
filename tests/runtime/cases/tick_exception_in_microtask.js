// A queueMicrotask callback that throws is an uncaught exception: the program ends.
process.on('exit', (code) => console.log('exit', code));
setTimeout(() => console.log('never'), 1);
queueMicrotask(() => {
  throw new Error('microtask failed');
});
queueMicrotask(() => console.log('never: the program already ended'));
