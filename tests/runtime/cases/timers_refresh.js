const start = Date.now();
let fired = 0;
const timeout = setTimeout(() => {
  fired++;
  console.log('fired', fired, 'late enough:', Date.now() - start >= 30);
  if (fired === 1) timeout.refresh(); // re-arms a timeout that already fired
}, 30);
// Refreshing before it fires pushes the deadline back.
setTimeout(() => timeout.refresh(), 10);
const cleared = setTimeout(() => console.log('never'), 5);
clearTimeout(cleared);
cleared.refresh(); // a cleared timeout stays cleared
console.log('refresh returns the timeout:', timeout.refresh() === timeout);
