'use strict';

// `module`: Node's Module class (createRequire, builtinModules, isBuiltin, _cache...).
module.exports = require('internal/modules/cjs_loader').Module;
