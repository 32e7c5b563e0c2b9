// Built-in modules by bare name and node: prefix, the Module API, and unknown names.
console.log(require('fs') === require('node:fs'), require('path') === require('node:path'));
console.log(require('events') === require('node:events').EventEmitter, require('util').types === require('util/types'));
console.log(require('module').isBuiltin('node:fs'), require('module').isBuiltin('nope'), require('module').builtinModules.includes('fs'));
console.log(require('path/posix') === require('path'), require('fs/promises') === require('fs').promises);
try {
  require('node:nonexistent');
} catch (error) {
  console.log(error.code, error.message);
}
