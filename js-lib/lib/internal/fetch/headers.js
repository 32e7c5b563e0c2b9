'use strict';

// The Fetch Standard's Headers (§5.2): a sorted, lower-cased header list with
// append/delete/get/getSetCookie/has/set and iteration; values are normalized
// (leading/trailing HTTP whitespace removed) and checked.

const {
  ArrayIsArray, ArrayPrototypePush, ArrayPrototypeSort, MapPrototypeGet, MapPrototypeSet, MapPrototypeDelete,
  MapPrototypeHas, ObjectKeys, RegExpPrototypeExec, StringPrototypeToLowerCase, Symbol, SymbolIterator,
  SymbolToStringTag, TypeError,
} = primordials;
const { checkIsHttpToken } = require('_http_common');

const kList = Symbol('kList');
const kGuard = Symbol('kGuard');

function normalizeValue(value) {
  return `${value}`.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

function validate(name, value) {
  if (!checkIsHttpToken(name)) throw new TypeError(`Headers: Invalid header name "${name}"`);
  if (RegExpPrototypeExec(/[\0\r\n]/, value) !== null) {
    throw new TypeError(`Headers: Invalid header value for "${name}"`);
  }
}

class Headers {
  constructor(init = undefined) {
    this[kList] = new primordials.Map(); // lower-case name → { name, values: [] }
    this[kGuard] = 'none';
    if (init === undefined || init === null) return;
    if (typeof init !== 'object') throw new TypeError('Headers: init must be an object');
    if (init instanceof Headers) {
      for (const [name, value] of init) this.append(name, value);
    } else if (typeof init[SymbolIterator] === 'function') {
      for (const pair of init) {
        if (typeof pair === 'string' || !pair || pair.length !== 2) {
          throw new TypeError('Headers: each header pair must be a [name, value] sequence');
        }
        this.append(pair[0], pair[1]);
      }
    } else {
      const keys = ObjectKeys(init);
      for (let i = 0; i < keys.length; i++) this.append(keys[i], init[keys[i]]);
    }
  }

  append(name, value) {
    name = `${name}`;
    value = normalizeValue(value);
    validate(name, value);
    if (this[kGuard] === 'immutable') throw new TypeError('Headers: immutable');
    const key = StringPrototypeToLowerCase(name);
    const entry = MapPrototypeGet(this[kList], key);
    if (entry) ArrayPrototypePush(entry.values, value);
    else MapPrototypeSet(this[kList], key, { name: key, values: [value] });
  }

  delete(name) {
    if (this[kGuard] === 'immutable') throw new TypeError('Headers: immutable');
    MapPrototypeDelete(this[kList], StringPrototypeToLowerCase(`${name}`));
  }

  get(name) {
    const entry = MapPrototypeGet(this[kList], StringPrototypeToLowerCase(`${name}`));
    if (!entry) return null;
    return entry.name === 'set-cookie' ? entry.values.join(', ') : entry.values.join(', ');
  }

  getSetCookie() {
    const entry = MapPrototypeGet(this[kList], 'set-cookie');
    return entry ? [...entry.values] : [];
  }

  has(name) {
    return MapPrototypeHas(this[kList], StringPrototypeToLowerCase(`${name}`));
  }

  set(name, value) {
    name = `${name}`;
    value = normalizeValue(value);
    validate(name, value);
    if (this[kGuard] === 'immutable') throw new TypeError('Headers: immutable');
    const key = StringPrototypeToLowerCase(name);
    MapPrototypeSet(this[kList], key, { name: key, values: [value] });
  }

  // The sort-and-combine algorithm (§5.2): names sorted, set-cookie kept apart.
  *entries() {
    const names = ArrayPrototypeSort([...this[kList].keys()]);
    for (let i = 0; i < names.length; i++) {
      const entry = MapPrototypeGet(this[kList], names[i]);
      if (!entry) continue;
      if (entry.name === 'set-cookie') {
        for (let j = 0; j < entry.values.length; j++) yield [entry.name, entry.values[j]];
      } else {
        yield [entry.name, entry.values.join(', ')];
      }
    }
  }

  *keys() {
    for (const [name] of this.entries()) yield name;
  }

  *values() {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback, thisArg = undefined) {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  [SymbolIterator]() {
    return this.entries();
  }

  get [SymbolToStringTag]() {
    return 'Headers';
  }

  [primordials.SymbolFor('nodejs.util.inspect.custom')]() {
    const out = {};
    for (const [name, value] of this) out[name] = value;
    return out;
  }
}

function setGuard(headers, guard) {
  headers[kGuard] = guard;
}

// For the http client: [name, value, name, value...] in insertion order.
function headersToArray(headers) {
  const out = [];
  for (const entry of headers[kList].values()) {
    for (let i = 0; i < entry.values.length; i++) ArrayPrototypePush(out, entry.name, entry.values[i]);
  }
  return out;
}

module.exports = { Headers, setGuard, headersToArray };
