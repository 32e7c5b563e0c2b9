// Without listeners, a rejection nobody handles ends the program after the callback
// that caused it (Node's --unhandled-rejections=throw); nothing else runs.
process.on('exit', (code) => console.log('exit', code));
setTimeout(() => {
  console.log('timer');
  Promise.reject(new Error('nobody handles this'));
}, 1);
setTimeout(() => console.log('never'), 50);
