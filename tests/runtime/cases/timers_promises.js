const timers = require('timers/promises');
const { setTimeout: sleep, setImmediate: nextCheck, setInterval: every } = timers;
(async () => {
  console.log('sleep resolves with', await sleep(5, 'value'));
  console.log('immediate resolves with', await nextCheck('now'));
  let n = 0;
  for await (const value of every(3, 'tick')) {
    console.log(value, ++n);
    if (n === 3) break;
  }
  await timers.scheduler.wait(2);
  console.log('scheduler.wait done');
  try {
    await sleep(1, undefined, 'not options');
  } catch (error) {
    console.log(error.code);
  }
  console.log('same functions as the timers module:', require('timers').setTimeout === setTimeout);
  console.log('timers.promises:', require('timers').promises === timers);
})();
