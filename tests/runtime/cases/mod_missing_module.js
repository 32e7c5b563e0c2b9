// A missing module: MODULE_NOT_FOUND naming the request and the require stack.
const path = require('path');
for (const request of ['./does-not-exist', 'no-such-package', '../fixtures/resolution/dir_with_index/nope']) {
  try {
    require(request);
  } catch (error) {
    console.log(error.code, error.message.replaceAll(__dirname, '<cases>'), error.requireStack.map((p) => path.basename(p)));
  }
}
