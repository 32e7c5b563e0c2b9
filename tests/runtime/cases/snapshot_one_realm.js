// Everything the library and its bindings make belongs to the program's one realm,
// also what was built into the startup snapshot: errors from a binding are instances
// of the program's Error, library functions of its Function, promises from import()
// chain with its Promise. A binding object that came back from the snapshot as a copy
// of its context (runtime/snapshot/README.md) fails each of these.
const fs = require('fs');
const path = require('path');

let error;
try {
  fs.readFileSync('/no/such/file');
} catch (caught) {
  error = caught;
}
console.log('fs error is an Error:', error instanceof Error, error.constructor === Error, error.code);
console.log('library function is a Function:', Object.getPrototypeOf(path.join) === Function.prototype);
console.log('stat result is an Object:', Object.getPrototypeOf(Object.getPrototypeOf(fs.statSync('.'))) === Object.prototype);
console.log('hrtime is an Array:', process.hrtime() instanceof Array);

const promise = import('../fixtures/resolution/node_modules/conditional/entry.mjs');
console.log('import() gives a Promise:', promise instanceof Promise);
promise.then((namespace) => console.log('import() resolves:', typeof namespace));
