// 'exit' is emitted once, with the exit code; listeners may change process.exitCode.
process.on('exit', (code) => {
  console.log('exit listener 1, code', code);
  setTimeout(() => console.log('never: the loop is over'), 0);
  process.nextTick(() => console.log('never: no ticks after exit'));
  Promise.resolve().then(() => console.log('promise after exit still runs'));
  process.exitCode = 6;
});
process.once('exit', (code) => console.log('exit listener 2, code', code));
setTimeout(() => {
  console.log('calling process.exit(5)');
  process.exit(5);
}, 1);
setInterval(() => console.log('never'), 1000);
