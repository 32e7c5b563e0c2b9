// Boot test: JavaScript inside the VM. Each line is matched by tests/boot/CMakeLists.txt.
console.log('js: hello from the VM');

// A hot loop long enough for V8's optimizing compiler to kick in.
function sum(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += i % 7;
  return s;
}
let total = 0;
for (let round = 0; round < 50; round++) total += sum(100000);
console.log('js: hot loop', total);

console.log('js: intl', new Intl.NumberFormat('de-DE').format(1234567.891));
const r = Math.random();
console.log('js: random in [0,1)', r >= 0 && r < 1);
console.log('js: date after 2020', Date.now() > Date.UTC(2020, 0, 1));
console.log('js: argv', process.argv.slice(1).join(' '));
console.log('js: env NODE_ENV', process.env.NODE_ENV);
const fs = require('fs');
const path = require('path');
console.log('js: file', fs.readFileSync(path.join(__dirname, 'data.txt'), 'utf8').trim());
console.log('js: require', require('./lib/helper').greet('kiln'));
import('./lib/esm.mjs').then((m) => {
  console.log('js: dynamic import', m.answer);
  setTimeout(() => {
    console.log('js: timer fired');
    process.exit(7);
  }, 20);
});
