// require() of an ES module fails with ERR_REQUIRE_ESM, as in Node 18 (Node 22 can
// load them; Kiln follows 18 here).
for (const request of ['../fixtures/resolution/node_modules/conditional/entry.mjs',
  '../fixtures/resolution/node_modules/esm_pkg/index.js']) {
  try {
    require(request);
  } catch (error) {
    console.log(error.code, error.message.replaceAll(require('path').resolve(__dirname, '..'), '<tests>'));
  }
}
