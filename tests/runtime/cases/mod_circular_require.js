// Circular require(): the second module sees the first one's exports as they are at
// that moment, as in Node.
const a = require('../fixtures/circular/a.js');
console.log('main sees a:', JSON.stringify(a));
