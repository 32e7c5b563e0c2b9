// Extra arguments reach the callback; `this` is the Timeout; its primitive id clears it.
const timeout = setTimeout(function (a, b, c) {
  console.log('args', a, b, c, 'this is the timeout:', this === timeout);
  setImmediate((x, y) => console.log('immediate args', x, y), 'x', 'y');
}, 1, 'one', 2, { three: 3 });
const byId = setTimeout(() => console.log('never'), 1);
const id = +byId;
console.log('id is a number:', typeof id === 'number', 'and a string works too:', `${byId}` === String(id));
clearTimeout(String(id));
const interval = setInterval(() => console.log('never'), 1);
clearInterval(interval[Symbol.toPrimitive]());
