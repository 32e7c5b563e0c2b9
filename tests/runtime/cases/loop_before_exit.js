// 'beforeExit' fires when the loop runs dry; work it schedules keeps the loop going.
let rounds = 0;
process.on('beforeExit', (code) => {
  console.log('beforeExit', code, 'round', rounds);
  if (rounds++ < 2) setTimeout(() => console.log('timer from beforeExit', rounds), 1);
  else if (rounds++ === 3) Promise.resolve().then(() => console.log('never: no new round'));
});
process.on('exit', (code) => console.log('exit', code));
process.exitCode = 4;
