console.log('before');
function fail() {
  throw new Error('x');
}
fail();
