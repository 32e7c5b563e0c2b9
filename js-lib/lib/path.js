'use strict';

// `path`: Node's POSIX path functions (Kiln runs only on Linux, so path === path.posix;
// path.win32 is not provided). Same algorithms as Node's lib/path.js.

const { StringPrototypeCharCodeAt, StringPrototypeLastIndexOf, StringPrototypeSlice } = primordials;
const { validateString, codes } = require('internal/errors');

const kSlash = 47; // '/'
const kDot = 46; // '.'

// Resolves '.' and '..' segments; `allowAboveRoot` keeps leading '..' of relative paths.
function normalizeString(path, allowAboveRoot) {
  let result = '';
  let lastSegmentLength = 0;
  let lastSlash = -1;
  let dots = 0;
  let code = 0;
  for (let i = 0; i <= path.length; ++i) {
    if (i < path.length) code = StringPrototypeCharCodeAt(path, i);
    else if (code === kSlash) break;
    else code = kSlash;

    if (code === kSlash) {
      if (lastSlash === i - 1 || dots === 1) {
        // A repeated slash or a '.' segment: nothing to add.
      } else if (dots === 2) {
        if (result.length < 2 || lastSegmentLength !== 2
            || StringPrototypeCharCodeAt(result, result.length - 1) !== kDot
            || StringPrototypeCharCodeAt(result, result.length - 2) !== kDot) {
          if (result.length > 2) {
            const lastSlashIndex = StringPrototypeLastIndexOf(result, '/');
            if (lastSlashIndex === -1) {
              result = '';
              lastSegmentLength = 0;
            } else {
              result = StringPrototypeSlice(result, 0, lastSlashIndex);
              lastSegmentLength = result.length - 1 - StringPrototypeLastIndexOf(result, '/');
            }
            lastSlash = i;
            dots = 0;
            continue;
          } else if (result.length !== 0) {
            result = '';
            lastSegmentLength = 0;
            lastSlash = i;
            dots = 0;
            continue;
          }
        }
        if (allowAboveRoot) {
          result += result.length > 0 ? '/..' : '..';
          lastSegmentLength = 2;
        }
      } else {
        if (result.length > 0) result += `/${StringPrototypeSlice(path, lastSlash + 1, i)}`;
        else result = StringPrototypeSlice(path, lastSlash + 1, i);
        lastSegmentLength = i - lastSlash - 1;
      }
      lastSlash = i;
      dots = 0;
    } else if (code === kDot && dots !== -1) {
      ++dots;
    } else {
      dots = -1;
    }
  }
  return result;
}

function resolve(...args) {
  let resolvedPath = '';
  let resolvedAbsolute = false;
  for (let i = args.length - 1; i >= -1 && !resolvedAbsolute; i--) {
    const path = i >= 0 ? args[i] : process.cwd();
    validateString(path, `paths[${i}]`);
    if (path.length === 0) continue;
    resolvedPath = `${path}/${resolvedPath}`;
    resolvedAbsolute = StringPrototypeCharCodeAt(path, 0) === kSlash;
  }
  resolvedPath = normalizeString(resolvedPath, !resolvedAbsolute);
  if (resolvedAbsolute) return `/${resolvedPath}`;
  return resolvedPath.length > 0 ? resolvedPath : '.';
}

function normalize(path) {
  validateString(path, 'path');
  if (path.length === 0) return '.';
  const absolute = StringPrototypeCharCodeAt(path, 0) === kSlash;
  const trailingSeparator = StringPrototypeCharCodeAt(path, path.length - 1) === kSlash;
  path = normalizeString(path, !absolute);
  if (path.length === 0) {
    if (absolute) return '/';
    return trailingSeparator ? './' : '.';
  }
  if (trailingSeparator) path += '/';
  return absolute ? `/${path}` : path;
}

function isAbsolute(path) {
  validateString(path, 'path');
  return path.length > 0 && StringPrototypeCharCodeAt(path, 0) === kSlash;
}

function join(...args) {
  if (args.length === 0) return '.';
  let joined;
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    validateString(arg, 'path');
    if (arg.length > 0) joined = joined === undefined ? arg : `${joined}/${arg}`;
  }
  return joined === undefined ? '.' : normalize(joined);
}

function relative(from, to) {
  validateString(from, 'from');
  validateString(to, 'to');
  if (from === to) return '';
  from = resolve(from);
  to = resolve(to);
  if (from === to) return '';

  const fromStart = 1;
  const fromEnd = from.length;
  const fromLength = fromEnd - fromStart;
  const toStart = 1;
  const toLength = to.length - toStart;

  const length = fromLength < toLength ? fromLength : toLength;
  let lastCommonSeparator = -1;
  let i = 0;
  for (; i < length; i++) {
    const fromCode = StringPrototypeCharCodeAt(from, fromStart + i);
    if (fromCode !== StringPrototypeCharCodeAt(to, toStart + i)) break;
    else if (fromCode === kSlash) lastCommonSeparator = i;
  }
  if (i === length) {
    if (toLength > length) {
      // `from` is an ancestor of `to`: /foo/bar -> /foo/bar/baz, or / -> /foo.
      if (StringPrototypeCharCodeAt(to, toStart + i) === kSlash) return StringPrototypeSlice(to, toStart + i + 1);
      if (i === 0) return StringPrototypeSlice(to, toStart + i);
    } else if (fromLength > length) {
      // `to` is an ancestor of `from`: /foo/bar/baz -> /foo/bar, or /foo -> /.
      if (StringPrototypeCharCodeAt(from, fromStart + i) === kSlash) lastCommonSeparator = i;
      else if (i === 0) lastCommonSeparator = 0;
    }
  }

  let out = '';
  for (i = fromStart + lastCommonSeparator + 1; i <= fromEnd; ++i) {
    if (i === fromEnd || StringPrototypeCharCodeAt(from, i) === kSlash) out += out.length === 0 ? '..' : '/..';
  }
  return `${out}${StringPrototypeSlice(to, toStart + lastCommonSeparator)}`;
}

function toNamespacedPath(path) {
  return path;
}

function dirname(path) {
  validateString(path, 'path');
  if (path.length === 0) return '.';
  const hasRoot = StringPrototypeCharCodeAt(path, 0) === kSlash;
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; --i) {
    if (StringPrototypeCharCodeAt(path, i) === kSlash) {
      if (!matchedSlash) {
        end = i;
        break;
      }
    } else {
      matchedSlash = false;
    }
  }
  if (end === -1) return hasRoot ? '/' : '.';
  if (hasRoot && end === 1) return '//';
  return StringPrototypeSlice(path, 0, end);
}

function basename(path, suffix) {
  if (suffix !== undefined) validateString(suffix, 'ext');
  validateString(path, 'path');
  let start = 0;
  let end = -1;
  let matchedSlash = true;

  if (suffix !== undefined && suffix.length > 0 && suffix.length <= path.length) {
    if (suffix === path) return '';
    let suffixIndex = suffix.length - 1;
    let firstNonSlashEnd = -1;
    for (let i = path.length - 1; i >= 0; --i) {
      const code = StringPrototypeCharCodeAt(path, i);
      if (code === kSlash) {
        if (!matchedSlash) {
          start = i + 1;
          break;
        }
      } else {
        if (firstNonSlashEnd === -1) {
          matchedSlash = false;
          firstNonSlashEnd = i + 1;
        }
        if (suffixIndex >= 0) {
          if (code === StringPrototypeCharCodeAt(suffix, suffixIndex)) {
            if (--suffixIndex === -1) end = i;
          } else {
            suffixIndex = -1;
            end = firstNonSlashEnd;
          }
        }
      }
    }
    if (start === end) end = firstNonSlashEnd;
    else if (end === -1) end = path.length;
    return StringPrototypeSlice(path, start, end);
  }
  for (let i = path.length - 1; i >= 0; --i) {
    if (StringPrototypeCharCodeAt(path, i) === kSlash) {
      if (!matchedSlash) {
        start = i + 1;
        break;
      }
    } else if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
  }
  if (end === -1) return '';
  return StringPrototypeSlice(path, start, end);
}

function extname(path) {
  validateString(path, 'path');
  let startDot = -1;
  let startPart = 0;
  let end = -1;
  let matchedSlash = true;
  // 0: no dot seen in this segment yet; 1: one dot; -1: a non-dot after the first dot.
  let preDotState = 0;
  for (let i = path.length - 1; i >= 0; --i) {
    const code = StringPrototypeCharCodeAt(path, i);
    if (code === kSlash) {
      if (!matchedSlash) {
        startPart = i + 1;
        break;
      }
      continue;
    }
    if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
    if (code === kDot) {
      if (startDot === -1) startDot = i;
      else if (preDotState !== 1) preDotState = 1;
    } else if (startDot !== -1) {
      preDotState = -1;
    }
  }
  if (startDot === -1 || end === -1 || preDotState === 0
      || (preDotState === 1 && startDot === end - 1 && startDot === startPart + 1)) {
    return '';
  }
  return StringPrototypeSlice(path, startDot, end);
}

function format(pathObject) {
  if (pathObject === null || typeof pathObject !== 'object') {
    throw codes.ERR_INVALID_ARG_TYPE('pathObject', 'object', pathObject);
  }
  const dir = pathObject.dir || pathObject.root;
  const base = pathObject.base || `${pathObject.name || ''}${pathObject.ext || ''}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}/${base}`;
}

function parse(path) {
  validateString(path, 'path');
  const result = { root: '', dir: '', base: '', ext: '', name: '' };
  if (path.length === 0) return result;
  const absolute = StringPrototypeCharCodeAt(path, 0) === kSlash;
  let start;
  if (absolute) {
    result.root = '/';
    start = 1;
  } else {
    start = 0;
  }
  let startDot = -1;
  let startPart = 0;
  let end = -1;
  let matchedSlash = true;
  let i = path.length - 1;
  let preDotState = 0;
  for (; i >= start; --i) {
    const code = StringPrototypeCharCodeAt(path, i);
    if (code === kSlash) {
      if (!matchedSlash) {
        startPart = i + 1;
        break;
      }
      continue;
    }
    if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
    if (code === kDot) {
      if (startDot === -1) startDot = i;
      else if (preDotState !== 1) preDotState = 1;
    } else if (startDot !== -1) {
      preDotState = -1;
    }
  }

  if (end !== -1) {
    const partStart = startPart === 0 && absolute ? 1 : startPart;
    if (startDot === -1 || preDotState === 0
        || (preDotState === 1 && startDot === end - 1 && startDot === startPart + 1)) {
      result.base = result.name = StringPrototypeSlice(path, partStart, end);
    } else {
      result.name = StringPrototypeSlice(path, partStart, startDot);
      result.base = StringPrototypeSlice(path, partStart, end);
      result.ext = StringPrototypeSlice(path, startDot, end);
    }
  }
  if (startPart > 0) result.dir = StringPrototypeSlice(path, 0, startPart - 1);
  else if (absolute) result.dir = '/';
  return result;
}

function matchesGlob() {
  throw codes.ERR_NOT_IMPLEMENTED('path.matchesGlob()');
}

const posix = {
  resolve, normalize, isAbsolute, join, relative, toNamespacedPath, dirname, basename, extname,
  format, parse, matchesGlob, sep: '/', delimiter: ':', win32: null, posix: null,
};
posix.posix = posix;

// FIXME: path.win32 has the right shape but its functions throw ERR_NOT_IMPLEMENTED.
const win32 = { sep: '\\', delimiter: ';', win32: null, posix };
const kFunctionNames = ['resolve', 'normalize', 'isAbsolute', 'join', 'relative', 'toNamespacedPath', 'dirname',
  'basename', 'extname', 'format', 'parse', 'matchesGlob'];
for (let i = 0; i < kFunctionNames.length; i++) {
  const name = kFunctionNames[i];
  win32[name] = () => {
    throw codes.ERR_NOT_IMPLEMENTED(`path.win32.${name}()`);
  };
}
win32.win32 = win32;
posix.win32 = win32;
module.exports = posix;
