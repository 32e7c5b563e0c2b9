// Boot test: an uncaught exception ends the program with status 1 and its stack.
function explode() {
  throw new Error('boom from the VM');
}
console.log('js: about to throw');
explode();
