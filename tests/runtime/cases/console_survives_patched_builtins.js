// The library captured its built-ins at start-up (js-lib/00_primordials.js), so user
// code that breaks them must not break console.log.
Array.prototype.join = null;
Array.prototype.push = null;
JSON.stringify = null;
String.prototype.slice = null;
console.log([1, 2], { a: 'b' }, '%j', 5);
