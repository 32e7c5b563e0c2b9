'use strict';

// `fs`: the synchronous file API over internalBinding('fs') (plain Linux system calls,
// see bindings/fs.cpp), plus callback and promise forms built on the synchronous
// calls. On the Kiln root only reads succeed; /tmp is writable; elsewhere writes fail
// with EROFS from the kernel.
// FIXME: the callback and promise forms run synchronously and deliver their result
// in a microtask; they move onto the event loop's disk requests when it has them.

const {
  ArrayBufferIsView, ArrayPrototypePush, ObjectKeys, PromisePrototypeThen, ReflectApply,
  TypedArrayPrototypeSubarray,
} = primordials;
const binding = internalBinding('fs');
const pathModule = require('path');
const { Buffer } = require('buffer');
const { codes, makeNodeError, validateFunction } = require('internal/errors');
const { resolvedPromise, rejectedPromise } = require('internal/promises');
const { Stats, Dirent, statsFromArray } = require('internal/fs/stats');
const { realpathSync: realpathWalk } = require('internal/fs/realpath');
const { fileUrlToPath } = require('internal/modules/file_url');

const { constants } = binding;
const kDirectory = 2;

// Paths may be strings, Buffers or file: URLs, as in Node.
function toPath(path, name = 'path') {
  if (typeof path === 'string') {
    if (primordials.StringPrototypeIncludes(path, '\u0000')) {
      throw makeNodeError(primordials.TypeError, 'ERR_INVALID_ARG_VALUE',
        `The argument '${name}' must be a string, Uint8Array, or URL without null bytes. Received ${internals.inspect(path)}`);
    }
    return path;
  }
  if (Buffer.isBuffer(path) || (ArrayBufferIsView(path) && path.BYTES_PER_ELEMENT === 1)) {
    return Buffer.from(path.buffer, path.byteOffset, path.byteLength).toString();
  }
  if (path !== null && typeof path === 'object' && typeof path.href === 'string' && path.protocol !== undefined) {
    return fileUrlToPath(path.href);
  }
  throw codes.ERR_INVALID_ARG_TYPE(name, ['string', 'Buffer', 'URL'], path);
}

function encodingOf(options, fallback) {
  if (options === undefined || options === null || typeof options === 'function') return fallback;
  if (typeof options === 'string') return options;
  return options.encoding ?? fallback;
}

// open() flags from Node's string forms.
function flagsOf(flags, fallback) {
  if (flags === undefined || flags === null) flags = fallback;
  if (typeof flags === 'number') return flags;
  const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, O_EXCL, O_SYNC } = constants;
  switch (flags) {
    case 'r': return O_RDONLY;
    case 'rs': case 'sr': return O_RDONLY | O_SYNC;
    case 'r+': return O_RDWR;
    case 'rs+': case 'sr+': return O_RDWR | O_SYNC;
    case 'w': return O_TRUNC | O_CREAT | O_WRONLY;
    case 'wx': case 'xw': return O_TRUNC | O_CREAT | O_WRONLY | O_EXCL;
    case 'w+': return O_TRUNC | O_CREAT | O_RDWR;
    case 'wx+': case 'xw+': return O_TRUNC | O_CREAT | O_RDWR | O_EXCL;
    case 'a': return O_APPEND | O_CREAT | O_WRONLY;
    case 'ax': case 'xa': return O_APPEND | O_CREAT | O_WRONLY | O_EXCL;
    case 'as': case 'sa': return O_APPEND | O_CREAT | O_WRONLY | O_SYNC;
    case 'a+': return O_APPEND | O_CREAT | O_RDWR;
    case 'ax+': case 'xa+': return O_APPEND | O_CREAT | O_RDWR | O_EXCL;
    case 'as+': case 'sa+': return O_APPEND | O_CREAT | O_RDWR | O_SYNC;
    default:
      throw makeNodeError(primordials.TypeError, 'ERR_INVALID_ARG_VALUE',
        `The argument 'flags' is invalid. Received ${internals.inspect(flags)}`);
  }
}

function modeOf(mode, fallback) {
  if (mode === undefined || mode === null) return fallback;
  if (typeof mode === 'string') return primordials.NumberParseInt(mode, 8);
  return mode;
}

function openSync(path, flags, mode) {
  return binding.open(toPath(path), flagsOf(flags, 'r'), modeOf(mode, 0o666));
}

function closeSync(fd) {
  binding.close(fd);
}

function readSync(fd, buffer, offsetOrOptions, length, position) {
  let offset = offsetOrOptions;
  if (offsetOrOptions !== null && typeof offsetOrOptions === 'object') {
    ({ offset = 0, length = buffer.byteLength - offset, position = null } = offsetOrOptions);
  }
  offset = offset ?? 0;
  length = length ?? buffer.byteLength - offset;
  const at = position === null || position === undefined || position === -1 ? -1 : primordials.Number(position);
  return binding.read(fd, buffer, offset, length, at);
}

function writeSync(fd, data, offsetOrPosition, lengthOrEncoding, position) {
  if (typeof data === 'string') {
    const bytes = Buffer.from(data, typeof lengthOrEncoding === 'string' ? lengthOrEncoding : 'utf8');
    const at = offsetOrPosition === null || offsetOrPosition === undefined ? -1 : offsetOrPosition;
    return binding.write(fd, bytes, 0, bytes.length, at);
  }
  const offset = offsetOrPosition ?? 0;
  const length = lengthOrEncoding ?? data.byteLength - offset;
  const at = position === null || position === undefined ? -1 : position;
  return binding.write(fd, data, offset, length, at);
}

function readFileSync(path, options) {
  const encoding = encodingOf(options, null);
  const flag = options !== null && typeof options === 'object' ? options.flag : undefined;
  let buffer;
  if (typeof path === 'number') {
    buffer = readAllFromFd(path);
  } else if (flag !== undefined && flag !== 'r') {
    const fd = openSync(path, flag);
    try {
      buffer = readAllFromFd(fd);
    } finally {
      closeSync(fd);
    }
  } else {
    if (encoding === 'utf8' || encoding === 'utf-8') return binding.readFile(toPath(path), true);
    const bytes = binding.readFile(toPath(path), false);
    buffer = Buffer.from(bytes);
  }
  return encoding === null ? buffer : buffer.toString(encoding);
}

function readAllFromFd(fd) {
  const chunks = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const count = binding.read(fd, chunk, 0, chunk.length, -1);
    if (count === 0) break;
    ArrayPrototypePush(chunks, count === chunk.length ? chunk : TypedArrayPrototypeSubarray(chunk, 0, count));
    total += count;
  }
  return Buffer.concat(chunks, total);
}

function toBytes(data, encoding) {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (ArrayBufferIsView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw codes.ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
}

function writeAll(fd, bytes) {
  let offset = 0;
  while (offset < bytes.length) offset += binding.write(fd, bytes, offset, bytes.length - offset, -1);
}

function writeFileSync(path, data, options) {
  const encoding = encodingOf(options, 'utf8');
  const object = options !== null && typeof options === 'object' ? options : {};
  const bytes = toBytes(data, encoding);
  if (typeof path === 'number') {
    writeAll(path, bytes);
    return;
  }
  const fd = openSync(path, object.flag ?? 'w', object.mode ?? 0o666);
  try {
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

function appendFileSync(path, data, options) {
  const object = options !== null && typeof options === 'object' ? { ...options } : { encoding: options };
  object.flag = object.flag ?? 'a';
  writeFileSync(path, data, object);
}

function existsSync(path) {
  try {
    return binding.statKind(toPath(path)) >= 0;
  } catch {
    return false;
  }
}

function statSync(path, options) {
  try {
    return statsFromArray(binding.stat(toPath(path), true));
  } catch (error) {
    if (options?.throwIfNoEntry === false && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function lstatSync(path, options) {
  try {
    return statsFromArray(binding.stat(toPath(path), false));
  } catch (error) {
    if (options?.throwIfNoEntry === false && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function fstatSync(fd) {
  return statsFromArray(binding.fstat(fd));
}

function readdirSync(path, options) {
  const dir = toPath(path);
  const encoding = encodingOf(options, 'utf8');
  const withFileTypes = Boolean(options?.withFileTypes);
  if (options?.recursive) return readdirRecursive(dir, withFileTypes);
  if (!withFileTypes) {
    const names = binding.readdir(dir, false);
    if (encoding === 'buffer') for (let i = 0; i < names.length; i++) names[i] = Buffer.from(names[i]);
    return names;
  }
  const listing = binding.readdir(dir, true);
  const names = listing[0];
  const kinds = listing[1];
  const entries = [];
  for (let i = 0; i < names.length; i++) {
    let kind = kinds[i];
    // Some file systems do not report types in getdents64: ask lstat.
    if (kind === 0) kind = direntKindFromStat(pathModule.join(dir, names[i]));
    ArrayPrototypePush(entries, new Dirent(names[i], kind, dir));
  }
  return entries;
}

function direntKindFromStat(file) {
  try {
    const stats = lstatSync(file);
    if (stats.isFile()) return 1;
    if (stats.isDirectory()) return 2;
    if (stats.isSymbolicLink()) return 3;
    return 0;
  } catch {
    return 0;
  }
}

function readdirRecursive(dir, withFileTypes) {
  const results = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = primordials.ArrayPrototypePop(pending);
    const entries = readdirSync(current, { withFileTypes: true });
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const full = pathModule.join(current, entry.name);
      ArrayPrototypePush(results, withFileTypes ? entry : pathModule.relative(dir, full));
      if (entry.isDirectory()) ArrayPrototypePush(pending, full);
    }
  }
  return results;
}

function realpathSync(path, options) {
  const real = realpathWalk(toPath(path));
  return encodingOf(options, 'utf8') === 'buffer' ? Buffer.from(real) : real;
}
realpathSync.native = realpathSync;

function readlinkSync(path, options) {
  const target = binding.readlink(toPath(path));
  return encodingOf(options, 'utf8') === 'buffer' ? Buffer.from(target) : target;
}

function accessSync(path, mode = constants.F_OK) {
  binding.access(toPath(path), mode);
}

function mkdirSync(path, options) {
  const mode = modeOf(typeof options === 'object' && options !== null ? options.mode : options, 0o777);
  const dir = pathModule.resolve(toPath(path));
  if (!(options !== null && typeof options === 'object' && options.recursive)) {
    binding.mkdir(dir, mode);
    return undefined;
  }
  // Recursive: create missing parents from the top; return the first one created.
  const missing = [];
  let current = dir;
  while (binding.statKind(current) < 0) {
    ArrayPrototypePush(missing, current);
    const parent = pathModule.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (missing.length === 0) {
    if (binding.statKind(dir) !== kDirectory) binding.mkdir(dir, mode);
    return undefined;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      binding.mkdir(missing[i], mode);
    } catch (error) {
      if (error.code !== 'EEXIST' || binding.statKind(missing[i]) !== kDirectory) throw error;
    }
  }
  return missing[missing.length - 1];
}

function rmdirSync(path, options) {
  if (options?.recursive) {
    rmSync(path, { recursive: true });
    return;
  }
  binding.rmdir(toPath(path));
}

function unlinkSync(path) {
  binding.unlink(toPath(path));
}

function renameSync(from, to) {
  binding.rename(toPath(from, 'oldPath'), toPath(to, 'newPath'));
}

function rmSync(path, options) {
  const target = toPath(path);
  let stats;
  try {
    stats = lstatSync(target);
  } catch (error) {
    if (error.code === 'ENOENT' && options?.force) return;
    throw error;
  }
  if (!stats.isDirectory()) {
    binding.unlink(target);
    return;
  }
  if (!options?.recursive) {
    const error = makeNodeError(primordials.Error, 'ERR_FS_EISDIR',
      `Path is a directory: rm returned EISDIR (is a directory) ${target}`);
    error.errno = 21;
    error.syscall = 'rm';
    error.path = target;
    throw error;
  }
  const names = binding.readdir(target, false);
  for (let i = 0; i < names.length; i++) rmSync(pathModule.join(target, names[i]), options);
  binding.rmdir(target);
}

function copyFileSync(source, destination, mode = 0) {
  if (mode & constants.COPYFILE_EXCL && existsSync(destination)) {
    binding.open(toPath(destination), flagsOf('wx'), 0o666);
  }
  writeFileSync(destination, readFileSync(source));
}

function truncateSync() {
  throw codes.ERR_NOT_IMPLEMENTED('fs.truncateSync()');
}

constants.COPYFILE_EXCL = 1;
constants.COPYFILE_FICLONE = 2;
constants.COPYFILE_FICLONE_FORCE = 4;

// Callback versions: run the synchronous call now, report in a microtask (never
// synchronously, as Node's callbacks never are).
function deliver(callback, error, value) {
  PromisePrototypeThen(resolvedPromise(), () => {
    if (error !== undefined) callback(error);
    else callback(null, value);
  });
}

function callbackVersion(syncFunction, name) {
  const fn = {
    [name](...args) {
      const callback = args[args.length - 1];
      validateFunction(callback, 'cb');
      args.length--;
      let result;
      try {
        result = ReflectApply(syncFunction, undefined, args);
      } catch (error) {
        deliver(callback, error);
        return;
      }
      deliver(callback, undefined, result);
    },
  }[name];
  return fn;
}

function promiseVersion(syncFunction) {
  return (...args) => {
    try {
      return resolvedPromise(ReflectApply(syncFunction, undefined, args));
    } catch (error) {
      return rejectedPromise(error);
    }
  };
}

const syncFunctions = {
  access: accessSync,
  appendFile: appendFileSync,
  close: closeSync,
  copyFile: copyFileSync,
  fstat: fstatSync,
  lstat: lstatSync,
  mkdir: mkdirSync,
  open: openSync,
  readdir: readdirSync,
  readFile: readFileSync,
  readlink: readlinkSync,
  realpath: realpathSync,
  rename: renameSync,
  rm: rmSync,
  rmdir: rmdirSync,
  stat: statSync,
  unlink: unlinkSync,
  writeFile: writeFileSync,
};

const fs = {
  constants,
  F_OK: constants.F_OK,
  R_OK: constants.R_OK,
  W_OK: constants.W_OK,
  X_OK: constants.X_OK,
  Stats,
  Dirent,
  existsSync,
  readSync,
  writeSync,
  truncateSync,
  exists(path, callback) {
    validateFunction(callback, 'cb');
    const result = existsSync(path);
    PromisePrototypeThen(resolvedPromise(), () => callback(result));
  },
  read(fd, buffer, offset, length, position, callback) {
    if (typeof offset === 'function') {
      callback = offset;
      offset = 0;
    }
    let bytes;
    try {
      bytes = readSync(fd, buffer, offset, length, position);
    } catch (error) {
      deliver(callback, error);
      return;
    }
    PromisePrototypeThen(resolvedPromise(), () => callback(null, bytes, buffer));
  },
  write(fd, data, ...rest) {
    const callback = rest[rest.length - 1];
    validateFunction(callback, 'cb');
    rest.length--;
    let written;
    try {
      written = ReflectApply(writeSync, undefined, [fd, data, rest[0], rest[1], rest[2]]);
    } catch (error) {
      deliver(callback, error);
      return;
    }
    PromisePrototypeThen(resolvedPromise(), () => callback(null, written, data));
  },
};

const promises = {
  constants,
  readFile: promiseVersion(readFileSync),
  writeFile: promiseVersion(writeFileSync),
  appendFile: promiseVersion(appendFileSync),
  access: promiseVersion(accessSync),
  stat: promiseVersion(statSync),
  lstat: promiseVersion(lstatSync),
  readdir: promiseVersion(readdirSync),
  readlink: promiseVersion(readlinkSync),
  realpath: promiseVersion(realpathSync),
  mkdir: promiseVersion(mkdirSync),
  rm: promiseVersion(rmSync),
  rmdir: promiseVersion(rmdirSync),
  unlink: promiseVersion(unlinkSync),
  rename: promiseVersion(renameSync),
  copyFile: promiseVersion(copyFileSync),
};

const names = ObjectKeys(syncFunctions);
for (let i = 0; i < names.length; i++) {
  const name = names[i];
  fs[`${name}Sync`] = syncFunctions[name];
  fs[name] = callbackVersion(syncFunctions[name], name);
}
fs.promises = promises;

// Streams, watchers and the rest of Node's fs are not here yet.
const kMissing = ['createReadStream', 'createWriteStream', 'watch', 'watchFile', 'unwatchFile', 'opendir',
  'opendirSync', 'symlink', 'symlinkSync', 'link', 'linkSync', 'chmod', 'chmodSync', 'chown', 'chownSync',
  'utimes', 'utimesSync', 'mkdtemp', 'mkdtempSync', 'truncate', 'ftruncate', 'ftruncateSync', 'fsync', 'fsyncSync'];
for (let i = 0; i < kMissing.length; i++) {
  const name = kMissing[i];
  fs[name] = () => {
    throw codes.ERR_NOT_IMPLEMENTED(`fs.${name}()`);
  };
}

module.exports = fs;
