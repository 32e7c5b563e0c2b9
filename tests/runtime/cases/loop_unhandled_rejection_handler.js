// 'unhandledRejection' listeners take rejections nobody handled.
process.on('unhandledRejection', (reason, promise) => {
  console.log('unhandled:', reason instanceof Error ? reason.message : reason, promise instanceof Promise);
});
Promise.reject(42);
setTimeout(() => {
  Promise.reject(new Error('in a timer'));
  console.log('timer goes on');
}, 1);
const late = Promise.reject(new Error('handled in the same turn'));
late.catch(() => console.log('caught late'));
