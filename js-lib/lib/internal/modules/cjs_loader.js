'use strict';

// CommonJS: Node's Module class, require(), require.resolve, require.cache and the
// module wrapper. Module code is compiled by the 'modules' binding as the body of
// function (exports, require, module, __filename, __dirname) with the file itself as
// the script name, so stack traces and syntax errors point at file:line unchanged.

const {
  ArrayIsArray, ArrayPrototypeIncludes, ArrayPrototypeIndexOf, ArrayPrototypeJoin, ArrayPrototypePush,
  ArrayPrototypeSplice, JSONParse, ObjectCreate, ObjectDefineProperty, ReflectApply,
  StringPrototypeCharCodeAt, StringPrototypeEndsWith, StringPrototypeIndexOf,
  StringPrototypeSlice, StringPrototypeStartsWith, WeakMapPrototypeGet, WeakMapPrototypeSet,
} = primordials;
const fsBinding = internalBinding('fs');
const { compileCommonJs } = internalBinding('modules');
const path = require('path');
const { makeNodeError, validateString } = require('internal/errors');
const { nodeModulePaths, resolveCommonJs, readPackageScope, fileUrlToPath } = require('internal/modules/resolve');

const moduleParents = new primordials.WeakMap();

function Module(id = '', parent) {
  this.id = id;
  this.path = path.dirname(id);
  this.exports = {};
  WeakMapPrototypeSet(moduleParents, this, parent);
  if (parent) ArrayPrototypePush(parent.children, this);
  this.filename = null;
  this.loaded = false;
  this.children = [];
  this.paths = undefined;
}

ObjectDefineProperty(Module.prototype, 'parent', {
  configurable: true,
  enumerable: false,
  get() {
    return WeakMapPrototypeGet(moduleParents, this);
  },
  set(value) {
    WeakMapPrototypeSet(moduleParents, this, value);
  },
});

Module._cache = ObjectCreate(null);
Module._pathCache = ObjectCreate(null);
Module._extensions = ObjectCreate(null);
Module.globalPaths = [];
Module.builtinModules = internals.builtinModules;
Module._nodeModulePaths = nodeModulePaths;
Module.isBuiltin = (name) => {
  try {
    return internals.builtinId(name) !== undefined;
  } catch {
    return false;
  }
};
Module.wrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
Module.wrap = (script) => `${Module.wrapper[0]}${script}${Module.wrapper[1]}`;

function moduleNotFound(request, parent) {
  const requireStack = [];
  for (let cursor = parent; cursor; cursor = WeakMapPrototypeGet(moduleParents, cursor)) {
    ArrayPrototypePush(requireStack, cursor.filename || cursor.id);
  }
  let message = `Cannot find module '${request}'`;
  if (requireStack.length > 0) message += `\nRequire stack:\n- ${ArrayPrototypeJoin(requireStack, '\n- ')}`;
  const error = new primordials.Error(message);
  error.code = 'MODULE_NOT_FOUND';
  error.requireStack = requireStack;
  return error;
}

Module._resolveFilename = function (request, parent, isMain, options) {
  if (internals.builtinId(request) !== undefined) return request;
  const parentDir = parent && parent.filename ? path.dirname(parent.filename) : process.cwd();
  let filename;
  if (options && ArrayIsArray(options.paths)) {
    for (let i = 0; i < options.paths.length && filename === undefined; i++) {
      const base = path.resolve(options.paths[i]);
      filename = resolveCommonJs(request, base, nodeModulePaths(base));
    }
  } else {
    const paths = parent && parent.paths ? parent.paths : nodeModulePaths(parentDir);
    filename = resolveCommonJs(request, parentDir, paths);
  }
  if (filename === undefined) throw moduleNotFound(request, parent);
  return filename;
};

Module._load = function (request, parent, isMain) {
  const filename = Module._resolveFilename(request, parent, isMain);
  const id = internals.builtinId(filename);
  if (id !== undefined) return internals.requireBuiltin(id);

  const cached = Module._cache[filename];
  if (cached !== undefined) {
    if (parent && !ArrayPrototypeIncludes(parent.children, cached)) ArrayPrototypePush(parent.children, cached);
    return cached.exports;
  }

  const module = new Module(filename, parent);
  if (isMain) {
    process.mainModule = module;
    module.id = '.';
  }
  Module._cache[filename] = module;
  // try/finally rather than catch-and-rethrow: the exception keeps the message V8 made
  // where it was thrown, so the report shows the user's file:line, not ours.
  let threw = true;
  try {
    module.load(filename);
    threw = false;
  } finally {
    if (threw) {
      delete Module._cache[filename];
      if (parent) {
        const index = ArrayPrototypeIndexOf(parent.children, module);
        if (index !== -1) ArrayPrototypeSplice(parent.children, index, 1);
      }
    }
  }
  return module.exports;
};

// The registered extension a file loads as: the longest one that matches ("a.b.js" may
// have a ".b.js" handler), else ".js".
function findLongestRegisteredExtension(filename) {
  const name = path.basename(filename);
  let index = 0;
  for (;;) {
    index = StringPrototypeIndexOf(name, '.', index + 1);
    if (index === -1 || index === 0) return '.js';
    const extension = StringPrototypeSlice(name, index);
    if (Module._extensions[extension]) return extension;
  }
}

function requireEsmError(filename, parent, packageJsonPath) {
  const parentPath = parent && parent.filename;
  let message = `require() of ES Module ${filename}${parentPath ? ` from ${parentPath}` : ''} not supported.`;
  if (packageJsonPath === undefined) {
    message += `\nInstead change the require of ${filename}${parentPath ? ` in ${parentPath}` : ''} to a dynamic `
      + 'import() which is available in all CommonJS modules.';
  } else {
    const basename = path.basename(filename);
    message += `\n${basename} is treated as an ES module file as it is a .js file whose nearest parent package.json `
      + 'contains "type": "module" which declares all .js files in that package scope as ES modules.\nInstead either '
      + `rename ${basename} to end in .cjs, change the requiring code to use dynamic import() which is available in `
      + `all CommonJS modules, or change "type": "module" to "type": "commonjs" in ${packageJsonPath} to treat all .js `
      + 'files as CommonJS (using .mjs for all ES modules instead).\n';
  }
  return makeNodeError(primordials.Error, 'ERR_REQUIRE_ESM', message);
}

Module.prototype.load = function (filename) {
  this.filename = filename;
  this.paths = nodeModulePaths(path.dirname(filename));
  if (StringPrototypeEndsWith(filename, '.mjs')) throw requireEsmError(filename, this.parent, undefined);
  Module._extensions[findLongestRegisteredExtension(filename)](this, filename);
  this.loaded = true;
};

Module.prototype.require = function (id) {
  validateString(id, 'id');
  if (id === '') {
    throw makeNodeError(primordials.TypeError, 'ERR_INVALID_ARG_VALUE',
      "The argument 'id' must be a non-empty string. Received ''");
  }
  return Module._load(id, this, false);
};

// A leading "#!" line is not JavaScript in a function body: blank it, keeping the line
// so line numbers stay right. A BOM is dropped, as Node does.
function stripShebangAndBom(content) {
  if (StringPrototypeCharCodeAt(content, 0) === 0xfeff) content = StringPrototypeSlice(content, 1);
  if (StringPrototypeStartsWith(content, '#!')) {
    const newline = StringPrototypeIndexOf(content, '\n');
    content = newline === -1 ? '' : `//${StringPrototypeSlice(content, 2)}`;
  }
  return content;
}

function makeRequire(module) {
  const require = function require(id) {
    return module.require(id);
  };
  function resolve(request, options) {
    validateString(request, 'request');
    return Module._resolveFilename(request, module, false, options);
  }
  function paths(request) {
    validateString(request, 'request');
    if (Module.isBuiltin(request)) return null;
    if (StringPrototypeStartsWith(request, './') || StringPrototypeStartsWith(request, '../')
        || request === '.' || request === '..') {
      return [module.filename ? path.dirname(module.filename) : process.cwd()];
    }
    return module.paths ? module.paths : nodeModulePaths(process.cwd());
  }
  resolve.paths = paths;
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

Module.prototype._compile = function (content, filename) {
  const wrapper = compileCommonJs(stripShebangAndBom(content), filename);
  const require = makeRequire(this);
  return ReflectApply(wrapper, this.exports, [this.exports, require, this, filename, path.dirname(filename)]);
};

Module._extensions['.js'] = function (module, filename) {
  if (StringPrototypeEndsWith(filename, '.js')) {
    const scope = readPackageScope(filename);
    if (scope !== null && scope.type === 'module') throw requireEsmError(filename, module.parent, scope.path);
  }
  module._compile(fsBinding.readFile(filename, true), filename);
};

Module._extensions['.json'] = function (module, filename) {
  const content = fsBinding.readFile(filename, true);
  try {
    module.exports = JSONParse(stripShebangAndBom(content));
  } catch (error) {
    error.message = `${filename}: ${error.message}`;
    throw error;
  }
};

Module._extensions['.node'] = function (module, filename) {
  const error = new primordials.Error(`native addons are not supported in Kiln: ${filename}`);
  error.code = 'ERR_DLOPEN_FAILED';
  throw error;
};

Module.createRequire = function (filename) {
  let file = filename;
  if (typeof filename === 'object' && filename !== null && typeof filename.href === 'string') {
    file = fileUrlToPath(filename.href);
  } else if (typeof filename === 'string' && StringPrototypeStartsWith(filename, 'file:')) {
    file = fileUrlToPath(filename);
  } else if (typeof filename !== 'string' || !path.isAbsolute(filename)) {
    throw makeNodeError(primordials.TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received ${
        internals.inspect(filename)}`);
  }
  // A folder ("/app/") stands for a file inside it.
  const proxyPath = StringPrototypeEndsWith(file, '/') ? path.join(file, 'noop.js') : file;
  const module = new Module(proxyPath);
  module.filename = proxyPath;
  module.paths = nodeModulePaths(module.path);
  return makeRequire(module);
};

// Runs the entry file as Node's runMain does for CommonJS.
function runMainCommonJs(mainPath) {
  Module._load(mainPath, null, true);
}

// The exports of the CommonJS file `filename`, loading it if it is not cached; for an
// ES module that imports it.
function loadForImport(filename) {
  return Module._load(filename, null, false);
}

Module.Module = Module;
Module.runMain = () => {
  throw makeNodeError(primordials.Error, 'ERR_NOT_IMPLEMENTED', 'Module.runMain() is not implemented in Kiln');
};
Module.syncBuiltinESMExports = () => {};
Module.findSourceMap = () => undefined;
Module.register = () => {
  throw makeNodeError(primordials.Error, 'ERR_NOT_IMPLEMENTED', 'module.register() is not implemented in Kiln');
};

module.exports = { Module, runMainCommonJs, loadForImport };
