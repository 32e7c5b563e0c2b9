'use strict';

// realpathSync as Node's JS implementation does it: walk the path one component at a
// time, lstat each, and splice in symbolic link targets (readlink), so only lstat and
// readlink reach the kernel. `cache` (a Map of path -> real path) is shared by the
// module loader across lookups.

const {
  MapPrototypeGet, MapPrototypeHas, MapPrototypeSet, SetPrototypeAdd, SetPrototypeHas, StringPrototypeIndexOf,
  StringPrototypeSlice,
} = primordials;
const binding = internalBinding('fs');
const path = require('path');

const kModeField = 1;
const kFileTypeMask = binding.constants.S_IFMT;
const kSymbolicLink = binding.constants.S_IFLNK;
// As Linux's MAXSYMLINKS: more links than this in one walk is a loop.
const kMaxLinks = 40;

function tooManyLinks(target) {
  const error = new primordials.Error(`ELOOP: too many symbolic links encountered, realpath '${target}'`);
  error.errno = -40;
  error.code = 'ELOOP';
  error.syscall = 'realpath';
  error.path = target;
  return error;
}

function realpathSync(target, cache) {
  let current = path.resolve(target);
  const original = current;
  if (cache !== undefined && MapPrototypeHas(cache, current)) return MapPrototypeGet(cache, current);

  const knownReal = new primordials.Set();
  let links = 0;
  // `done` is the real prefix walked so far ('/' or '/a/b'); `position` indexes the rest.
  let done = '/';
  let position = 1;
  while (position < current.length) {
    const slash = StringPrototypeIndexOf(current, '/', position);
    const end = slash === -1 ? current.length : slash;
    const component = StringPrototypeSlice(current, position, end);
    position = end + 1;
    if (component === '') continue;
    const base = done === '/' ? `/${component}` : `${done}/${component}`;

    if (SetPrototypeHas(knownReal, base)) {
      done = base;
      continue;
    }
    let resolved = cache !== undefined ? MapPrototypeGet(cache, base) : undefined;
    if (resolved === undefined) {
      const stats = binding.stat(base, false);
      if ((stats[kModeField] & kFileTypeMask) !== kSymbolicLink) {
        SetPrototypeAdd(knownReal, base);
        if (cache !== undefined) MapPrototypeSet(cache, base, base);
        done = base;
        continue;
      }
      if (++links > kMaxLinks) throw tooManyLinks(original);
      resolved = path.resolve(done, binding.readlink(base));
      if (cache !== undefined) MapPrototypeSet(cache, base, resolved);
    }
    if (resolved === base) {
      done = base;
      continue;
    }
    // Start again on the link's target followed by what is left of the path.
    current = path.resolve(resolved, StringPrototypeSlice(current, position));
    done = '/';
    position = 1;
  }
  if (cache !== undefined) MapPrototypeSet(cache, original, current);
  return current;
}

module.exports = { realpathSync };
