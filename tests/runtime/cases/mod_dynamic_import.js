// import() from CommonJS: ES modules, CommonJS (default + named), JSON with an
// assertion, built-ins, the same namespace twice, and a failure with its code.
(async () => {
  const esm = await import('../fixtures/resolution/node_modules/conditional/entry.mjs');
  console.log(esm.flavour, esm.default === esm.flavour);
  const cjs = await import('../fixtures/cjs_shapes/assignments.cjs');
  console.log(cjs.plain, typeof cjs.default);
  const json = await import('../fixtures/resolution/data.json', { assert: { type: 'json' } });
  console.log(json.default.list);
  const fs = await import('node:fs');
  console.log(typeof fs.readFileSync, fs.default === require('fs'));
  const again = await import('../fixtures/resolution/node_modules/conditional/entry.mjs');
  console.log(again === esm);
  try {
    await import('./no-such-file.mjs');
  } catch (error) {
    console.log(error.code, error.message.replace(__dirname, '<cases>').replace(__dirname, '<cases>'));
  }
})();
