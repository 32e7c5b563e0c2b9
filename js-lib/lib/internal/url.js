'use strict';

// URL and URLSearchParams (WHATWG URL Standard): the classes over the parser in
// internal/url_parser. Node's extras live in the `url` module.

const {
  ArrayPrototypePush, ArrayPrototypeSplice, ObjectDefineProperties, ObjectDefineProperty,
  StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeSplit, SymbolIterator, SymbolToStringTag,
  ArrayPrototypeSort, RegExpPrototypeSymbolReplace,
} = primordials;
const {
  basicParse, serialize, serializePath, percentEncode, State, inFormSet, inUserinfoSet,
} = require('internal/url_parser');
const { percentDecodeToString } = require('internal/url_host');
const { makeNodeError, codes } = require('internal/errors');

const kInspect = primordials.SymbolFor('nodejs.util.inspect.custom');

function invalidUrl(input, base) {
  const error = makeNodeError(primordials.TypeError, 'ERR_INVALID_URL', 'Invalid URL');
  error.input = input;
  if (base !== undefined) error.base = base;
  return error;
}

// application/x-www-form-urlencoded parsing (URL Standard §5.1).
function parseForm(input) {
  const list = [];
  const sequences = StringPrototypeSplit(input, '&');
  for (let i = 0; i < sequences.length; i++) {
    const sequence = sequences[i];
    if (sequence === '') continue;
    const equals = StringPrototypeIndexOf(sequence, '=');
    let name = equals === -1 ? sequence : StringPrototypeSlice(sequence, 0, equals);
    let value = equals === -1 ? '' : StringPrototypeSlice(sequence, equals + 1);
    name = percentDecodeToString(RegExpPrototypeSymbolReplace(/\+/g, name, ' '));
    value = percentDecodeToString(RegExpPrototypeSymbolReplace(/\+/g, value, ' '));
    ArrayPrototypePush(list, [name, value]);
  }
  return list;
}

function serializeForm(list) {
  let output = '';
  for (let i = 0; i < list.length; i++) {
    if (i > 0) output += '&';
    output += `${percentEncode(list[i][0], inFormSet, true)}=${percentEncode(list[i][1], inFormSet, true)}`;
  }
  return output;
}

// Strings as USVStrings: lone surrogates become U+FFFD.
function toUSVString(value) {
  const text = `${value}`;
  return primordials.StringPrototypeToWellFormed
    ? primordials.StringPrototypeToWellFormed(text)
    : RegExpPrototypeSymbolReplace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, text,
      '\ufffd');
}

class URLSearchParams {
  #list = [];
  #url = null;

  constructor(init = undefined) {
    if (init === undefined || init === null) return;
    if (typeof init === 'object' || typeof init === 'function') {
      const iterator = init[SymbolIterator];
      if (typeof iterator === 'function') {
        for (const pair of init) {
          const entry = [...pair];
          if (entry.length !== 2) {
            throw makeNodeError(primordials.TypeError, 'ERR_INVALID_TUPLE',
              'Each query pair must be an iterable [name, value] tuple');
          }
          ArrayPrototypePush(this.#list, [toUSVString(entry[0]), toUSVString(entry[1])]);
        }
      } else {
        const keys = primordials.ReflectOwnKeys(init);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          if (typeof key !== 'string') continue;
          const descriptor = primordials.ReflectGetOwnPropertyDescriptor(init, key);
          if (descriptor !== undefined && descriptor.enumerable) {
            ArrayPrototypePush(this.#list, [toUSVString(key), toUSVString(init[key])]);
          }
        }
      }
    } else {
      let text = toUSVString(init);
      if (text[0] === '?') text = StringPrototypeSlice(text, 1);
      this.#list = parseForm(text);
    }
  }

  static attach(params, url) {
    params.#url = url;
  }

  static reset(params, query) {
    params.#list = query === null ? [] : parseForm(query);
  }

  #update() {
    if (this.#url === null) return;
    const serialized = serializeForm(this.#list);
    URL.setQueryFromParams(this.#url, serialized === '' ? null : serialized);
  }

  get size() {
    return this.#list.length;
  }

  append(name, value) {
    if (arguments.length < 2) throw codes.ERR_MISSING_ARGS('name', 'value');
    ArrayPrototypePush(this.#list, [toUSVString(name), toUSVString(value)]);
    this.#update();
  }

  delete(name, value = undefined) {
    if (arguments.length < 1) throw codes.ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    for (let i = 0; i < this.#list.length;) {
      if (this.#list[i][0] === name && (value === undefined || this.#list[i][1] === value)) {
        ArrayPrototypeSplice(this.#list, i, 1);
      } else {
        i++;
      }
    }
    this.#update();
  }

  get(name) {
    if (arguments.length < 1) throw codes.ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    for (let i = 0; i < this.#list.length; i++) if (this.#list[i][0] === name) return this.#list[i][1];
    return null;
  }

  getAll(name) {
    if (arguments.length < 1) throw codes.ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    const values = [];
    for (let i = 0; i < this.#list.length; i++) if (this.#list[i][0] === name) ArrayPrototypePush(values, this.#list[i][1]);
    return values;
  }

  has(name, value = undefined) {
    if (arguments.length < 1) throw codes.ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    for (let i = 0; i < this.#list.length; i++) {
      if (this.#list[i][0] === name && (value === undefined || this.#list[i][1] === value)) return true;
    }
    return false;
  }

  set(name, value) {
    if (arguments.length < 2) throw codes.ERR_MISSING_ARGS('name', 'value');
    name = toUSVString(name);
    value = toUSVString(value);
    let found = false;
    for (let i = 0; i < this.#list.length;) {
      if (this.#list[i][0] !== name) {
        i++;
      } else if (!found) {
        this.#list[i][1] = value;
        found = true;
        i++;
      } else {
        ArrayPrototypeSplice(this.#list, i, 1);
      }
    }
    if (!found) ArrayPrototypePush(this.#list, [name, value]);
    this.#update();
  }

  sort() {
    // Stable, by UTF-16 code units of the names (Array.prototype.sort is stable).
    ArrayPrototypeSort(this.#list, (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.#update();
  }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') throw codes.ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
    for (let i = 0; i < this.#list.length; i++) {
      primordials.FunctionPrototypeCall(callback, thisArg, this.#list[i][1], this.#list[i][0], this);
    }
  }

  *entries() {
    for (let i = 0; i < this.#list.length; i++) yield [this.#list[i][0], this.#list[i][1]];
  }

  *keys() {
    for (let i = 0; i < this.#list.length; i++) yield this.#list[i][0];
  }

  *values() {
    for (let i = 0; i < this.#list.length; i++) yield this.#list[i][1];
  }

  toString() {
    return serializeForm(this.#list);
  }

  [kInspect](depth, options, inspect) {
    if (depth < 0) return '[Object]';
    const entries = [];
    for (let i = 0; i < this.#list.length; i++) {
      ArrayPrototypePush(entries, `${inspect(this.#list[i][0])} => ${inspect(this.#list[i][1])}`);
    }
    if (entries.length === 0) return 'URLSearchParams {}';
    const oneLine = `URLSearchParams { ${primordials.ArrayPrototypeJoin(entries, ', ')} }`;
    if (oneLine.length <= (options.breakLength ?? 80)) return oneLine;
    return `URLSearchParams {\n  ${primordials.ArrayPrototypeJoin(entries, ',\n  ')} }`;
  }
}
URLSearchParams.prototype[SymbolIterator] = URLSearchParams.prototype.entries;
ObjectDefineProperty(URLSearchParams.prototype, SymbolToStringTag, { value: 'URLSearchParams', configurable: true });

class URL {
  #record;
  #searchParams = null;

  constructor(input, base = undefined) {
    if (arguments.length === 0) throw codes.ERR_MISSING_ARGS('url');
    const text = toUSVString(input);
    let baseRecord = null;
    if (base !== undefined) {
      baseRecord = basicParse(toUSVString(base), null);
      if (baseRecord === null) throw invalidUrl(text, `${base}`);
    }
    const record = basicParse(text, baseRecord);
    if (record === null) throw invalidUrl(text, base === undefined ? undefined : `${base}`);
    this.#record = record;
  }

  static canParse(input, base = undefined) {
    if (arguments.length === 0) throw codes.ERR_MISSING_ARGS('url');
    let baseRecord = null;
    if (base !== undefined) {
      baseRecord = basicParse(toUSVString(base), null);
      if (baseRecord === null) return false;
    }
    return basicParse(toUSVString(input), baseRecord) !== null;
  }

  static setQueryFromParams(url, query) {
    url.#record.query = query;
  }

  #resetParams() {
    if (this.#searchParams !== null) URLSearchParams.reset(this.#searchParams, this.#record.query);
  }

  get href() {
    return serialize(this.#record, false);
  }

  set href(value) {
    const record = basicParse(toUSVString(value), null);
    if (record === null) throw invalidUrl(`${value}`);
    this.#record = record;
    this.#resetParams();
  }

  get origin() {
    const record = this.#record;
    if (record.scheme === 'blob') {
      const inner = typeof record.path === 'string' ? basicParse(record.path, null) : null;
      if (inner !== null && (inner.scheme === 'http' || inner.scheme === 'https')) {
        return `${inner.scheme}://${inner.host}${inner.port === null ? '' : `:${inner.port}`}`;
      }
      return 'null';
    }
    if (record.scheme === 'ftp' || record.scheme === 'http' || record.scheme === 'https' || record.scheme === 'ws'
        || record.scheme === 'wss') {
      return `${record.scheme}://${record.host}${record.port === null ? '' : `:${record.port}`}`;
    }
    return 'null';
  }

  get protocol() {
    return `${this.#record.scheme}:`;
  }

  set protocol(value) {
    basicParse(`${toUSVString(value)}:`, null, this.#record, State.SCHEME_START);
  }

  get username() {
    return this.#record.username;
  }

  set username(value) {
    const record = this.#record;
    if (record.host === null || record.host === '' || record.scheme === 'file') return;
    record.username = percentEncode(toUSVString(value), inUserinfoSet);
  }

  get password() {
    return this.#record.password;
  }

  set password(value) {
    const record = this.#record;
    if (record.host === null || record.host === '' || record.scheme === 'file') return;
    record.password = percentEncode(toUSVString(value), inUserinfoSet);
  }

  get host() {
    const record = this.#record;
    if (record.host === null) return '';
    return record.port === null ? record.host : `${record.host}:${record.port}`;
  }

  set host(value) {
    if (typeof this.#record.path === 'string') return;
    const copy = { ...this.#record, path: this.#record.path };
    if (basicParse(toUSVString(value), null, copy, State.HOST)) this.#record = copy;
  }

  get hostname() {
    return this.#record.host ?? '';
  }

  set hostname(value) {
    if (typeof this.#record.path === 'string') return;
    const copy = { ...this.#record, path: this.#record.path };
    if (basicParse(toUSVString(value), null, copy, State.HOSTNAME)) this.#record = copy;
  }

  get port() {
    return this.#record.port === null ? '' : `${this.#record.port}`;
  }

  set port(value) {
    const record = this.#record;
    if (record.host === null || record.host === '' || record.scheme === 'file') return;
    const text = toUSVString(value);
    if (text === '') {
      record.port = null;
      return;
    }
    const copy = { ...record };
    if (basicParse(text, null, copy, State.PORT)) this.#record = copy;
  }

  get pathname() {
    return serializePath(this.#record);
  }

  set pathname(value) {
    const record = this.#record;
    if (typeof record.path === 'string') return;
    const copy = { ...record, path: [] };
    if (basicParse(toUSVString(value), null, copy, State.PATH_START)) this.#record = copy;
  }

  get search() {
    const query = this.#record.query;
    return query === null || query === '' ? '' : `?${query}`;
  }

  set search(value) {
    let text = toUSVString(value);
    if (text === '') {
      this.#record.query = null;
      this.#resetParams();
      return;
    }
    if (text[0] === '?') text = StringPrototypeSlice(text, 1);
    const copy = { ...this.#record, query: '' };
    if (basicParse(text, null, copy, State.QUERY)) this.#record = copy;
    this.#resetParams();
  }

  get searchParams() {
    if (this.#searchParams === null) {
      this.#searchParams = new URLSearchParams(this.search);
      URLSearchParams.attach(this.#searchParams, this);
    }
    return this.#searchParams;
  }

  get hash() {
    const fragment = this.#record.fragment;
    return fragment === null || fragment === '' ? '' : `#${fragment}`;
  }

  set hash(value) {
    let text = toUSVString(value);
    if (text === '') {
      this.#record.fragment = null;
      return;
    }
    if (text[0] === '#') text = StringPrototypeSlice(text, 1);
    const copy = { ...this.#record, fragment: '' };
    if (basicParse(text, null, copy, State.FRAGMENT)) this.#record = copy;
  }

  toString() {
    return this.href;
  }

  toJSON() {
    return this.href;
  }

  [kInspect](depth, options, inspect) {
    const object = {
      href: this.href, origin: this.origin, protocol: this.protocol, username: this.username,
      password: this.password, host: this.host, hostname: this.hostname, port: this.port, pathname: this.pathname,
      search: this.search, searchParams: this.searchParams, hash: this.hash,
    };
    if (depth < 0) return '[URL]';
    return `URL ${inspect(object, { ...options, depth })}`;
  }
}

const kEnumerable = { enumerable: true };
ObjectDefineProperties(URL.prototype, {
  href: kEnumerable, origin: kEnumerable, protocol: kEnumerable, username: kEnumerable, password: kEnumerable,
  host: kEnumerable, hostname: kEnumerable, port: kEnumerable, pathname: kEnumerable, search: kEnumerable,
  searchParams: kEnumerable, hash: kEnumerable, toString: kEnumerable, toJSON: kEnumerable,
  [SymbolToStringTag]: { value: 'URL', configurable: true },
});

module.exports = { URL, URLSearchParams };
