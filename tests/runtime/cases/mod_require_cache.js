// require.cache, require.resolve, module fields (id, filename, loaded, children,
// paths), require.main, and reloading after deleting a cache entry.
const path = require('path');
const target = require.resolve('../fixtures/resolution/extensionless_target');
console.log(path.relative(__dirname, target), target in require.cache);
const first = require(target);
console.log(target in require.cache, require.cache[target].loaded, require.cache[target].exports === first);
require.cache[target].exports = 'replaced through the cache';
console.log(require('../fixtures/resolution/extensionless_target'));
delete require.cache[target];
console.log(require('../fixtures/resolution/extensionless_target'));
console.log(require.main === module, module.id, path.basename(module.filename), module.loaded);
console.log(module.children.map((child) => path.basename(child.id)));
console.log(module.paths[0] === path.join(__dirname, 'node_modules'));
console.log(typeof require.extensions['.js'], require.resolve('fs'), require.resolve('node:path'));
console.log(__filename === path.join(__dirname, 'mod_require_cache.js'), this === module.exports, exports === module.exports);
