let count = 0;
const interval = setInterval((label) => {
  count++;
  console.log(label, count);
  if (count === 4) clearInterval(interval);
}, 3, 'tick');
setTimeout(() => console.log('interval ran', count, 'times; destroyed:', interval._destroyed), 100);
// clearTimeout and clearInterval are interchangeable, as in Node.
const other = setInterval(() => console.log('never'), 5);
clearTimeout(other);
