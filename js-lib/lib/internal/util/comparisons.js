'use strict';

// Deep equality for assert.deepEqual / deepStrictEqual and util.isDeepStrictEqual,
// following Node's lib/internal/util/comparisons.js: strict mode compares with
// Object.is, prototypes and type tags; loose mode with ==. Map and Set entries match
// regardless of order; cycles are handled by remembering pairs under comparison.

const {
  ArrayIsArray, ArrayBufferIsView, DatePrototypeGetTime, ErrorPrototypeToString, MapPrototypeGet,
  MapPrototypeGetSize, MapPrototypeHas, NumberIsNaN, ObjectGetOwnPropertySymbols, ObjectGetPrototypeOf, ObjectIs,
  ObjectKeys, ObjectPrototypePropertyIsEnumerable, ObjectPrototypeToString, RegExpPrototypeGetFlags,
  RegExpPrototypeGetSource, SetPrototypeGetSize, SetPrototypeHas,
} = primordials;

const kStrict = true;
const kLoose = false;

function isPrimitive(value) {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function ownKeys(value, strict) {
  const keys = ObjectKeys(value);
  if (!strict) return keys;
  const symbols = ObjectGetOwnPropertySymbols(value);
  for (let i = 0; i < symbols.length; i++) {
    if (ObjectPrototypePropertyIsEnumerable(value, symbols[i])) keys[keys.length] = symbols[i];
  }
  return keys;
}

function unbox(value, tag) {
  switch (tag) {
    case '[object Number]': return primordials.NumberPrototypeValueOf(value);
    case '[object String]': return primordials.StringPrototypeValueOf(value);
    case '[object Boolean]': return primordials.BooleanPrototypeValueOf(value);
    case '[object BigInt]': return primordials.BigIntPrototypeValueOf(value);
    case '[object Symbol]': return primordials.SymbolPrototypeValueOf(value);
    default: return undefined;
  }
}

function equalBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  const x = new primordials.Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new primordials.Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function innerEqual(a, b, strict, memos) {
  if (a === b) return a !== 0 || ObjectIs(a, b) || !strict;
  if (strict) {
    if (typeof a !== 'object') return typeof a === 'number' && NumberIsNaN(a) && NumberIsNaN(b);
    if (typeof b !== 'object' || a === null || b === null) return false;
    if (ObjectGetPrototypeOf(a) !== ObjectGetPrototypeOf(b)) return false;
  } else {
    if (isPrimitive(a)) {
      if (!isPrimitive(b)) return false;
      // eslint-disable-next-line eqeqeq
      return a == b || (NumberIsNaN(a) && NumberIsNaN(b));
    }
    if (isPrimitive(b)) return false;
  }
  const tag = ObjectPrototypeToString(a);
  if (tag !== ObjectPrototypeToString(b)) return false;

  if (ArrayIsArray(a)) {
    if (!ArrayIsArray(b) || a.length !== b.length) return false;
  } else if (tag === '[object Date]') {
    if (DatePrototypeGetTime(a) !== DatePrototypeGetTime(b)) return false;
  } else if (tag === '[object RegExp]') {
    if (RegExpPrototypeGetSource(a) !== RegExpPrototypeGetSource(b) || RegExpPrototypeGetFlags(a) !== RegExpPrototypeGetFlags(b)
        || a.lastIndex !== b.lastIndex) {
      return false;
    }
  } else if (tag === '[object Error]' || a instanceof primordials.Error) {
    if (a.message !== b.message || a.name !== b.name || ErrorPrototypeToString(a) !== ErrorPrototypeToString(b)) {
      return false;
    }
  } else if (ArrayBufferIsView(a)) {
    if (!equalBytes(a, b)) return false;
    // Only the non-index keys are left to compare.
    const aKeys = ownKeys(a, strict);
    const bKeys = ownKeys(b, strict);
    const filter = (keys) => {
      const out = [];
      for (let i = 0; i < keys.length; i++) {
        if (typeof keys[i] !== 'string' || primordials.RegExpPrototypeExec(/^\d+$/, keys[i]) === null) out[out.length] = keys[i];
      }
      return out;
    };
    return keysEqual(a, b, strict, memos, filter(aKeys), filter(bKeys));
  } else if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
    if (!equalBytes(new primordials.Uint8Array(a), new primordials.Uint8Array(b))) return false;
  } else if (unbox(a, tag) !== undefined || tag === '[object Symbol]') {
    if (!ObjectIs(unbox(a, tag), unbox(b, tag))) return false;
  } else if (tag === '[object WeakMap]' || tag === '[object WeakSet]' || tag === '[object Promise]') {
    return false;
  }
  return keysEqual(a, b, strict, memos, ownKeys(a, strict), ownKeys(b, strict));
}

function keysEqual(a, b, strict, memos, aKeys, bKeys) {
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    if (!ObjectPrototypePropertyIsEnumerable(b, aKeys[i])) return false;
  }
  // Cycles: a pair already under comparison counts as equal.
  if (memos === undefined) {
    memos = { a: new primordials.Map(), b: new primordials.Map(), depth: 0 };
  } else {
    const seenA = MapPrototypeGet(memos.a, a);
    if (seenA !== undefined) {
      const seenB = MapPrototypeGet(memos.b, b);
      if (seenB !== undefined) return seenA === seenB;
    }
  }
  memos.depth++;
  primordials.MapPrototypeSet(memos.a, a, memos.depth);
  primordials.MapPrototypeSet(memos.b, b, memos.depth);
  const result = entriesEqual(a, b, strict, memos, aKeys);
  primordials.MapPrototypeDelete(memos.a, a);
  primordials.MapPrototypeDelete(memos.b, b);
  return result;
}

function setHasEqual(set, value, strict, memos) {
  for (const candidate of primordials.SetPrototypeValues(set)) {
    if (innerEqual(value, candidate, strict, memos)) return true;
  }
  return false;
}

function entriesEqual(a, b, strict, memos, keys) {
  for (let i = 0; i < keys.length; i++) {
    if (!innerEqual(a[keys[i]], b[keys[i]], strict, memos)) return false;
  }
  const tag = ObjectPrototypeToString(a);
  if (tag === '[object Set]') {
    if (SetPrototypeGetSize(a) !== SetPrototypeGetSize(b)) return false;
    for (const value of primordials.SetPrototypeValues(a)) {
      if (isPrimitive(value) ? !SetPrototypeHas(b, value) && !(!strict && setHasEqual(b, value, strict, memos))
        : !setHasEqual(b, value, strict, memos)) {
        return false;
      }
    }
  } else if (tag === '[object Map]') {
    if (MapPrototypeGetSize(a) !== MapPrototypeGetSize(b)) return false;
    for (const [key, value] of primordials.MapPrototypeEntries(a)) {
      if (isPrimitive(key) && MapPrototypeHas(b, key)) {
        if (!innerEqual(value, MapPrototypeGet(b, key), strict, memos)) return false;
        continue;
      }
      let found = false;
      for (const [otherKey, otherValue] of primordials.MapPrototypeEntries(b)) {
        if (innerEqual(key, otherKey, strict, memos) && innerEqual(value, otherValue, strict, memos)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
  }
  return true;
}

function isDeepStrictEqual(a, b) {
  return innerEqual(a, b, kStrict, undefined);
}

function isDeepEqual(a, b) {
  return innerEqual(a, b, kLoose, undefined);
}

module.exports = { isDeepStrictEqual, isDeepEqual };
