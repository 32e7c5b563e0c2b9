// Native addons cannot load in Kiln: a clear error instead of a crash.
try {
  require('../fixtures/resolution/addon.node');
} catch (error) {
  console.log(error.code, error.message.replace(require('path').resolve(__dirname, '..'), '<tests>'));
}
