// package.json "exports" seen from require(): the "require"/"node"/"default"
// conditions, nested conditions, "*" patterns, null targets, string sugar.
const path = require('path');
const fixtures = path.join(__dirname, '../fixtures/resolution');
const { createRequire } = require('module');
const requireThere = createRequire(path.join(fixtures, 'index.js'));
console.log(requireThere('conditional').flavour);
console.log(requireThere('conditional/feature'));
console.log(requireThere('conditional/utils/strings'));
console.log(requireThere('conditional/package.json').name);
console.log(requireThere('sugar'));
console.log(JSON.stringify(requireThere('with_imports')));
for (const request of ['conditional/utils/secret/key', 'conditional/entry.cjs', 'sugar/other', 'conditional/broken']) {
  try {
    requireThere(request);
  } catch (error) {
    console.log(error.code, error.message.replace(fixtures, '<fixtures>'));
  }
}
try {
  requireThere('conditional/fallback');
} catch (error) {
  console.log(error.code, error.message.replace(fixtures, '<fixtures>'));
}
