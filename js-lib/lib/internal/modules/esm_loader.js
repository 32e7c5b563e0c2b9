'use strict';

// ES modules: builds V8 module graphs from files, links them, and answers import().
// Everything is synchronous underneath (the root file system is local), so a graph
// is read, compiled and linked in one go; V8 then instantiates and evaluates it,
// top-level await included. CommonJS, JSON and built-in modules enter graphs as
// synthetic modules whose exports are filled in when V8 evaluates them, so they run
// in the same order as in Node.

const {
  ArrayPrototypePush, JSONParse, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet,
  ObjectKeys, PromisePrototypeThen, SetPrototypeAdd, SetPrototypeDelete, SetPrototypeHas,
  StringPrototypeCharCodeAt, StringPrototypeSlice, StringPrototypeStartsWith,
} = primordials;
const modules = internalBinding('modules');
const fsBinding = internalBinding('fs');
const path = require('path');
const { makeNodeError } = require('internal/errors');
const { rejectedPromise } = require('internal/promises');
const { resolveEsm, esmFormat, resolveCommonJs, nodeModulePaths, pathToFileUrl, fileUrlToPath, realpath } =
  require('internal/modules/resolve');
const { lexCommonJs } = require('internal/modules/cjs_lexer');

// url -> { id, url, format }
const records = new primordials.Map();

function readSource(file) {
  const source = fsBinding.readFile(file, true);
  return StringPrototypeCharCodeAt(source, 0) === 0xfeff ? StringPrototypeSlice(source, 1) : source;
}

// The names `import { x } from './file.cjs'` may use: what the lexer finds in the file
// and, recursively, in the files it re-exports.
function commonJsExportNames(file, seen = new primordials.Set()) {
  const names = new primordials.Set();
  if (SetPrototypeHas(seen, file)) return names;
  SetPrototypeAdd(seen, file);
  let lexed;
  try {
    lexed = lexCommonJs(readSource(file));
  } catch {
    return names;
  }
  for (const name of lexed.names) SetPrototypeAdd(names, name);
  const dir = path.dirname(file);
  for (let i = 0; i < lexed.reexports.length; i++) {
    let target;
    try {
      target = resolveCommonJs(lexed.reexports[i], dir, nodeModulePaths(dir));
    } catch {
      continue;
    }
    if (target === undefined || internals.builtinId(lexed.reexports[i]) !== undefined) continue;
    for (const name of commonJsExportNames(target, seen)) SetPrototypeAdd(names, name);
  }
  SetPrototypeDelete(names, 'default');
  return names;
}

function namesArray(set) {
  const names = ['default'];
  for (const name of set) ArrayPrototypePush(names, name);
  return names;
}

function createCommonJsRecord(url, file) {
  const names = commonJsExportNames(file);
  const id = modules.createSyntheticModule(url, namesArray(names), () => {
    const exports = require('internal/modules/cjs_loader').loadForImport(file);
    const values = { default: exports };
    if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
      for (const name of names) values[name] = exports[name];
    }
    return values;
  });
  return { id, url, format: 'commonjs' };
}

function createBuiltinRecord(url, builtinId) {
  const exports = internals.requireBuiltin(builtinId);
  const keys = ObjectKeys(exports);
  const names = new primordials.Set();
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== 'default') SetPrototypeAdd(names, keys[i]);
  }
  const id = modules.createSyntheticModule(url, namesArray(names), () => {
    const values = { default: exports };
    for (const name of names) values[name] = exports[name];
    return values;
  });
  return { id, url, format: 'builtin' };
}

function createJsonRecord(url, file) {
  const id = modules.createSyntheticModule(url, ['default'], () => {
    const source = readSource(file);
    try {
      return { default: JSONParse(source) };
    } catch (error) {
      error.message = `${file}: ${error.message}`;
      throw error;
    }
  });
  return { id, url, format: 'json' };
}

function checkAssertion(resolved, assertedType, parentPath) {
  if (assertedType === undefined) return;
  if (assertedType !== 'json') {
    throw makeNodeError(primordials.TypeError, 'ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED',
      `Import assertion type "${assertedType}" is unsupported`);
  }
  if (resolved.format !== 'json') {
    throw makeNodeError(primordials.TypeError, 'ERR_IMPORT_ASSERTION_TYPE_FAILED',
      `Module "${resolved.url}" is not of type "${assertedType}"`);
  }
}

// The record for a resolved module, created (and its imports linked) on first use.
function recordFor(resolved) {
  const cached = MapPrototypeGet(records, resolved.url);
  if (cached !== undefined) return cached;
  switch (resolved.format) {
    case 'builtin': {
      const record = createBuiltinRecord(resolved.url, resolved.id);
      MapPrototypeSet(records, resolved.url, record);
      return record;
    }
    case 'commonjs': {
      const record = createCommonJsRecord(resolved.url, resolved.path);
      MapPrototypeSet(records, resolved.url, record);
      return record;
    }
    case 'json': {
      const record = createJsonRecord(resolved.url, resolved.path);
      MapPrototypeSet(records, resolved.url, record);
      return record;
    }
    case 'addon': {
      const error = new primordials.Error(`native addons are not supported in Kiln: ${resolved.path}`);
      error.code = 'ERR_DLOPEN_FAILED';
      throw error;
    }
    default:
      break;
  }

  const id = modules.compileModule(readSource(resolved.path), resolved.url);
  const record = { id, url: resolved.url, format: 'module' };
  // Registered before its imports are followed, so cycles find it.
  MapPrototypeSet(records, resolved.url, record);
  // try/finally, not catch: a syntax error keeps V8's message (the user's file:line).
  let linked = false;
  try {
    const requests = modules.moduleRequests(id);
    for (let i = 0; i < requests.length; i++) {
      const specifier = requests[i][0];
      const child = resolveEsm(specifier, resolved.path);
      checkAssertion(child, requests[i][1], resolved.path);
      modules.link(id, specifier, recordFor(child).id);
    }
    linked = true;
  } finally {
    if (!linked) MapPrototypeDelete(records, resolved.url);
  }
  return record;
}

// The file an import() comes from: a module's URL, a CommonJS file's path, or nothing
// (then the working directory stands in, as for Node's REPL and eval).
function referrerPath(referrerName) {
  if (typeof referrerName === 'string') {
    if (StringPrototypeStartsWith(referrerName, 'file:')) return fileUrlToPath(referrerName);
    if (StringPrototypeStartsWith(referrerName, '/')) return referrerName;
  }
  return path.join(process.cwd(), '[eval]');
}

// Called by V8 (through the runtime) for import(specifier).
function importDynamic(specifier, referrerName, assertedType) {
  try {
    const resolved = resolveEsm(specifier, referrerPath(referrerName));
    checkAssertion(resolved, assertedType);
    const record = recordFor(resolved);
    modules.instantiate(record.id);
    return PromisePrototypeThen(modules.evaluate(record.id), () => modules.namespace(record.id));
  } catch (error) {
    return rejectedPromise(error);
  }
}

// Runs the entry file as an ES module; returns its evaluation promise.
function runMainModule(mainPath) {
  const real = realpath(mainPath);
  const record = recordFor({ url: pathToFileUrl(real), path: real, format: esmFormat(real) });
  modules.instantiate(record.id);
  return modules.evaluate(record.id);
}

module.exports = { importDynamic, runMainModule };
