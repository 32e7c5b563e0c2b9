'use strict';

// Node's module resolution, for require() (Module._resolveFilename's algorithm,
// doc/api/modules.md "All together") and for import (ESM_RESOLVE, doc/api/esm.md).
// Both honour package.json "exports"/"imports" with their own conditions; only
// require() searches extensions and index files. Real paths are used for module
// identity, as Node does without --preserve-symlinks.

const {
  ArrayPrototypePush, MapPrototypeGet, MapPrototypeSet, RegExpPrototypeExec, StringPrototypeCharCodeAt,
  StringPrototypeEndsWith, StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeStartsWith,
} = primordials;
const binding = internalBinding('fs');
const path = require('path');
const { makeNodeError } = require('internal/errors');
const { realpathSync } = require('internal/fs/realpath');
const { readPackage, readPackageScope } = require('internal/modules/package_json');
const { packageExportsResolve, packageImportsResolve } = require('internal/modules/exports_resolve');
const { pathToFileUrl, fileUrlToPath } = require('internal/modules/file_url');

const kFile = 1;
const kDirectory = 2;

const kCommonJsConditions = new primordials.Set(['require', 'node']);
const kEsmConditions = new primordials.Set(['import', 'node']);
// Extensions require() tries, in order (Module._extensions in Node).
const kCommonJsExtensions = ['.js', '.json', '.node'];

const realpathCache = new primordials.Map();

function realpath(file) {
  return realpathSync(file, realpathCache);
}

function isFile(file) {
  return binding.statKind(file) === kFile;
}

function isRelativeOrAbsolute(request) {
  return request === '.' || request === '..' || StringPrototypeStartsWith(request, './')
    || StringPrototypeStartsWith(request, '../') || StringPrototypeStartsWith(request, '/');
}

// Module._nodeModulePaths: every ancestor's node_modules, nearest first.
function nodeModulePaths(from) {
  from = path.resolve(from);
  const paths = [];
  let dir = from;
  for (;;) {
    if (!StringPrototypeEndsWith(dir, '/node_modules')) {
      ArrayPrototypePush(paths, dir === '/' ? '/node_modules' : `${dir}/node_modules`);
    }
    if (dir === '/') break;
    dir = path.dirname(dir);
  }
  return paths;
}

// 'pkg/sub' -> { name: 'pkg', subpath: './sub' }; '@scope/pkg' -> { name: '@scope/pkg', subpath: '.' }.
function parsePackageName(specifier, base) {
  let separator = StringPrototypeIndexOf(specifier, '/');
  let valid = true;
  if (specifier[0] === '@') {
    if (separator === -1 || specifier.length === 0) valid = false;
    else separator = StringPrototypeIndexOf(specifier, '/', separator + 1);
  }
  const name = separator === -1 ? specifier : StringPrototypeSlice(specifier, 0, separator);
  if (name[0] === '.' || RegExpPrototypeExec(/%|\\/, name) !== null) valid = false;
  if (!valid) {
    throw makeNodeError(primordials.TypeError, 'ERR_INVALID_MODULE_SPECIFIER',
      `Invalid module "${specifier}" is not a valid package name${base ? ` imported from ${base}` : ''}`);
  }
  return { name, subpath: `.${separator === -1 ? '' : StringPrototypeSlice(specifier, separator)}` };
}

// --- require() ---

function tryFile(file) {
  return isFile(file) ? realpath(file) : undefined;
}

function tryExtensions(base) {
  for (let i = 0; i < kCommonJsExtensions.length; i++) {
    const found = tryFile(`${base}${kCommonJsExtensions[i]}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

// LOAD_AS_DIRECTORY: package.json "main", then index.{js,json,node}.
function tryDirectory(dir, request) {
  const pkg = readPackage(dir);
  const main = pkg === null ? undefined : pkg.main;
  if (main) {
    const mainPath = path.resolve(dir, main);
    const found = tryFile(mainPath) ?? tryExtensions(mainPath) ?? tryExtensions(path.resolve(mainPath, 'index'));
    if (found !== undefined) return found;
    const index = tryExtensions(path.resolve(dir, 'index'));
    if (index !== undefined) return index;
    const error = new primordials.Error(
      `Cannot find module '${mainPath}'. Please verify that the package.json has a valid "main" entry`);
    error.code = 'MODULE_NOT_FOUND';
    error.path = pkg.path;
    error.requestPath = request;
    throw error;
  }
  return tryExtensions(path.resolve(dir, 'index'));
}

// LOAD_AS_FILE then LOAD_AS_DIRECTORY; a trailing slash means "a folder only".
function tryFileOrDirectory(base, request) {
  const trailingSlash = StringPrototypeCharCodeAt(request, request.length - 1) === 47
    || StringPrototypeEndsWith(request, '/.') || StringPrototypeEndsWith(request, '/..') || request === '.'
    || request === '..';
  if (!trailingSlash) {
    const found = tryFile(base) ?? tryExtensions(base);
    if (found !== undefined) return found;
  }
  return binding.statKind(base) === kDirectory ? tryDirectory(base, request) : undefined;
}

// require() of a package whose package.json has "exports": the map decides, and the
// file it names must exist as named.
function resolveCommonJsExports(pkg, subpath, request) {
  const resolved = packageExportsResolve(pkg, subpath, kCommonJsConditions, undefined);
  const found = tryFile(resolved);
  if (found !== undefined) return found;
  const error = new primordials.Error(`Cannot find module '${resolved}'`);
  error.code = 'MODULE_NOT_FOUND';
  throw error;
}

// LOAD_PACKAGE_SELF: a package may require itself by name through its own "exports".
function resolveSelf(request, parentDir) {
  const scope = readPackageScope(`${parentDir}/x`);
  if (scope === null || scope.exports === undefined || scope.exports === null || scope.name === undefined) {
    return undefined;
  }
  if (request !== scope.name && !StringPrototypeStartsWith(request, `${scope.name}/`)) return undefined;
  return resolveCommonJsExports(scope, `.${StringPrototypeSlice(request, scope.name.length)}`, request);
}

// The file `request` names for a module in `parentDir` searching `paths` (node_modules
// folders), or undefined when there is none. Built-ins are the caller's business.
function resolveCommonJs(request, parentDir, paths) {
  if (isRelativeOrAbsolute(request)) return tryFileOrDirectory(path.resolve(parentDir, request), request);
  if (request[0] === '#') {
    const scope = readPackageScope(`${parentDir}/x`);
    const resolved = packageImportsResolve(request, scope, kCommonJsConditions, undefined,
      (bare) => resolveCommonJs(bare, scope.dir, nodeModulePaths(scope.dir)));
    return resolved === undefined ? undefined : tryFile(resolved) ?? resolved;
  }
  const self = resolveSelf(request, parentDir);
  if (self !== undefined) return self;

  const { name, subpath } = parsePackageName(request, undefined);
  for (let i = 0; i < paths.length; i++) {
    const dir = paths[i];
    if (binding.statKind(dir) !== kDirectory) continue;
    const pkg = readPackage(`${dir}/${name}`);
    if (pkg !== null && pkg.exports !== undefined && pkg.exports !== null) {
      return resolveCommonJsExports(pkg, subpath, request);
    }
    const found = tryFileOrDirectory(`${dir}/${request}`, request);
    if (found !== undefined) return found;
  }
  return undefined;
}

// --- import ---

function moduleNotFound(what, base) {
  return makeNodeError(primordials.Error, 'ERR_MODULE_NOT_FOUND', `Cannot find ${what} imported from ${base}`);
}

// How the ES module loader must treat `file` (ESM_FILE_FORMAT).
function esmFormat(file) {
  const extension = path.extname(file);
  if (extension === '.mjs') return 'module';
  if (extension === '.cjs') return 'commonjs';
  if (extension === '.json') return 'json';
  if (extension === '.node') return 'addon';
  const scope = readPackageScope(file);
  const isModuleScope = scope !== null && scope.type === 'module';
  if (extension === '.js' || extension === '') return isModuleScope ? 'module' : 'commonjs';
  if (isModuleScope) {
    throw makeNodeError(primordials.TypeError, 'ERR_UNKNOWN_FILE_EXTENSION',
      `Unknown file extension "${extension}" for ${file}`);
  }
  return 'commonjs';
}

// The legacy "main" lookup import does for packages without "exports".
function legacyMainResolve(pkg, packageDir, base) {
  const candidates = [];
  if (pkg !== null && pkg.main) {
    const main = path.resolve(packageDir, pkg.main);
    ArrayPrototypePush(candidates, main, `${main}.js`, `${main}.json`, `${main}.node`, `${main}/index.js`,
      `${main}/index.json`, `${main}/index.node`);
  }
  ArrayPrototypePush(candidates, `${packageDir}/index.js`, `${packageDir}/index.json`, `${packageDir}/index.node`);
  for (let i = 0; i < candidates.length; i++) {
    if (isFile(candidates[i])) return candidates[i];
  }
  throw moduleNotFound(`package '${packageDir}/'`, base);
}

// PACKAGE_RESOLVE for a bare specifier imported from `parentPath`.
function packageResolve(specifier, parentPath, base) {
  const { name, subpath } = parsePackageName(specifier, base);
  const scope = readPackageScope(parentPath);
  if (scope !== null && scope.name === name && scope.exports !== undefined && scope.exports !== null) {
    return packageExportsResolve(scope, subpath, kEsmConditions, base);
  }
  const paths = nodeModulePaths(path.dirname(parentPath));
  for (let i = 0; i < paths.length; i++) {
    const packageDir = `${paths[i]}/${name}`;
    if (binding.statKind(packageDir) !== kDirectory) continue;
    const pkg = readPackage(packageDir);
    if (pkg !== null && pkg.exports !== undefined && pkg.exports !== null) {
      return packageExportsResolve(pkg, subpath, kEsmConditions, base);
    }
    if (subpath === '.') return legacyMainResolve(pkg, packageDir, base);
    return `${packageDir}${StringPrototypeSlice(subpath, 1)}`;
  }
  throw moduleNotFound(`package '${name}'`, base);
}

// Relative specifiers are URLs: percent-escapes are decoded, and '?query'/'#hash'
// make distinct module instances of the same file (they stay in the URL).
function splitUrlSuffix(specifier) {
  let end = specifier.length;
  const query = StringPrototypeIndexOf(specifier, '?');
  const hash = StringPrototypeIndexOf(specifier, '#');
  if (query !== -1) end = query;
  if (hash !== -1 && hash < end) end = hash;
  return { pathPart: StringPrototypeSlice(specifier, 0, end), suffix: StringPrototypeSlice(specifier, end) };
}

function decodeSpecifierPath(pathPart, specifier, base) {
  if (StringPrototypeIndexOf(pathPart, '%') === -1) return pathPart;
  if (RegExpPrototypeExec(/%2f|%5c/i, pathPart) !== null) {
    throw makeNodeError(primordials.TypeError, 'ERR_INVALID_MODULE_SPECIFIER',
      `Invalid module "${specifier}" must not include encoded "/" or "\\" characters imported from ${base}`);
  }
  return primordials.decodeURIComponent(pathPart);
}

// ESM_RESOLVE: `specifier` imported by the module at `parentPath` (a file path).
// Returns { url, path, format } or, for built-ins, { url: 'node:fs', id: 'fs', format: 'builtin' }.
function resolveEsm(specifier, parentPath) {
  const base = parentPath;
  const id = internals.builtinId(specifier);
  if (id !== undefined) {
    return { url: StringPrototypeStartsWith(id, 'kiln/') ? specifier : `node:${id}`, id, format: 'builtin' };
  }

  let resolved;
  let suffix = '';
  if (StringPrototypeStartsWith(specifier, 'file:')) {
    const parts = splitUrlSuffix(specifier);
    resolved = fileUrlToPath(parts.pathPart);
    suffix = parts.suffix;
  } else if (isRelativeOrAbsolute(specifier)) {
    const parts = splitUrlSuffix(specifier);
    resolved = path.resolve(path.dirname(parentPath), decodeSpecifierPath(parts.pathPart, specifier, base));
    if (StringPrototypeEndsWith(parts.pathPart, '/')) resolved += '/';
    suffix = parts.suffix;
  } else if (specifier[0] === '#') {
    const scope = readPackageScope(parentPath);
    resolved = packageImportsResolve(specifier, scope, kEsmConditions, base,
      (bare) => packageResolve(bare, `${scope.dir}/x`, base));
  } else if (RegExpPrototypeExec(/^[a-zA-Z][a-zA-Z\d+\-.]*:/, specifier) !== null) {
    throw makeNodeError(primordials.Error, 'ERR_UNSUPPORTED_ESM_URL_SCHEME',
      `Only URLs with a scheme in: file, node, and kiln are supported by the default ESM loader. `
      + `Received protocol '${StringPrototypeSlice(specifier, 0, StringPrototypeIndexOf(specifier, ':') + 1)}'`);
  } else {
    resolved = packageResolve(specifier, parentPath, base);
  }

  // FINALIZE: the file must exist as named (no extension search for import).
  const kind = binding.statKind(resolved);
  if (kind === kDirectory || StringPrototypeEndsWith(resolved, '/')) {
    throw makeNodeError(primordials.Error, 'ERR_UNSUPPORTED_DIR_IMPORT',
      `Directory import '${resolved}' is not supported resolving ES modules imported from ${base}`);
  }
  if (kind !== kFile) throw moduleNotFound(`module '${resolved}'`, base);
  const real = realpath(resolved);
  return { url: `${pathToFileUrl(real)}${suffix}`, path: real, format: esmFormat(real) };
}

module.exports = {
  nodeModulePaths, resolveCommonJs, resolveEsm, esmFormat, realpath, isFile, pathToFileUrl, fileUrlToPath,
  readPackageScope,
};
