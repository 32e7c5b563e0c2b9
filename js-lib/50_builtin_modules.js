'use strict';

// The library's own modules (js-lib/lib/**): what require('fs'), require('node:path')
// and import 'node:events' load, plus library-internal ids ('internal/errors') that
// user code cannot reach. Each is compiled from the source baked into the binary the
// first time it is required, and runs as a function of
// (exports, require, module, internalBinding, primordials, internals).
//
// Shares with later files: internals.requireBuiltin(id), internals.builtinId(request)
// and internals.builtinModules (the public names, as Module.builtinModules lists them).

const {
  ArrayPrototypeSlice, FunctionPrototypeCall, MapPrototypeGet, MapPrototypeSet, ObjectFreeze, SetPrototypeHas,
  StringPrototypeSlice, StringPrototypeStartsWith,
} = primordials;

const { compile, ids } = internalBinding('builtins');
const libraryIds = new primordials.Set(ids);
const loaded = new primordials.Map();

// Node 20's module names. Those without a file in js-lib/lib exist (so a package of the
// same name in node_modules is never picked instead, as in Node) but throw
// ERR_NOT_IMPLEMENTED when required.
const kNodeModuleNames = [
  '_http_agent', '_http_client', '_http_common', '_http_incoming', '_http_outgoing', '_http_server',
  '_stream_duplex', '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_wrap',
  '_stream_writable', '_tls_common', '_tls_wrap', 'assert', 'assert/strict', 'async_hooks', 'buffer',
  'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns',
  'dns/promises', 'domain', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector',
  'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix', 'path/win32', 'perf_hooks', 'process',
  'punycode', 'querystring', 'readline', 'readline/promises', 'repl', 'stream', 'stream/consumers',
  'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers', 'timers/promises', 'tls',
  'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib',
];
const nodeModuleNames = new primordials.Set(kNodeModuleNames);

function unsupportedModuleError(name) {
  const error = new primordials.Error(`Kiln does not support the '${name}' module`);
  error.code = 'ERR_NOT_IMPLEMENTED';
  return error;
}

function requireBuiltin(id) {
  const cached = MapPrototypeGet(loaded, id);
  if (cached !== undefined) return cached.exports;
  if (!SetPrototypeHas(libraryIds, id)) {
    if (SetPrototypeHas(nodeModuleNames, id)) throw unsupportedModuleError(id);
    const error = new primordials.Error(`No such built-in module: ${id}`);
    error.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
    throw error;
  }
  const module = { id, exports: {}, loaded: false };
  // Cached before it runs, so library modules may require each other in a cycle.
  MapPrototypeSet(loaded, id, module);
  const body = compile(id);
  FunctionPrototypeCall(body, undefined, module.exports, requireBuiltin, module, internalBinding, primordials,
    internals);
  module.loaded = true;
  return module.exports;
}

// The library id a user's request names, or undefined when it names no built-in:
// 'fs' and 'node:fs' -> 'fs'; 'kiln:sys' -> 'kiln/sys'. Ids under internal/ stay
// private. An unknown 'node:' name is an error, as in Node.
function builtinId(request) {
  if (StringPrototypeStartsWith(request, 'node:')) {
    const name = StringPrototypeSlice(request, 5);
    if (SetPrototypeHas(nodeModuleNames, name)) return name;
    const error = new primordials.Error(`No such built-in module: ${request}`);
    error.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
    throw error;
  }
  if (StringPrototypeStartsWith(request, 'kiln:')) {
    const id = `kiln/${StringPrototypeSlice(request, 5)}`;
    return SetPrototypeHas(libraryIds, id) ? id : undefined;
  }
  return SetPrototypeHas(nodeModuleNames, request) ? request : undefined;
}

internals.requireBuiltin = requireBuiltin;
internals.builtinId = builtinId;
internals.builtinModules = ObjectFreeze(ArrayPrototypeSlice(kNodeModuleNames));
