// A syntax error in a required file is reported at its file:line.
console.log('before');
require('../fixtures/cjs_syntax_error.js');
