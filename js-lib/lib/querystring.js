'use strict';

// `querystring`: Node's legacy query string parse/stringify (escape with
// encodeURIComponent, unescape tolerant of bad escapes, repeated keys as arrays).

const {
  ArrayIsArray, ArrayPrototypeJoin, ArrayPrototypePush, ObjectKeys, RegExpPrototypeSymbolReplace,
  StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeSplit, decodeURIComponent, encodeURIComponent,
} = primordials;

function unescape(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return RegExpPrototypeSymbolReplace(/%([0-9a-fA-F]{2})/g, text,
      (match, hex) => primordials.StringFromCharCode(primordials.NumberParseInt(hex, 16)));
  }
}

// Node leaves !'()* alone, like encodeURIComponent; lone surrogates become U+FFFD.
function escape(text) {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(RegExpPrototypeSymbolReplace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, text, '\ufffd'));
  }
}

function stringifyPrimitive(value) {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && primordials.NumberIsFinite(value)) || typeof value === 'bigint') return `${value}`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return '';
}

function stringify(object, separator = '&', equals = '=', options = undefined) {
  const encode = options?.encodeURIComponent ?? escape;
  if (object === null || typeof object !== 'object') return '';
  const parts = [];
  const keys = ObjectKeys(object);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = object[key];
    const name = `${encode(stringifyPrimitive(key))}${equals}`;
    if (ArrayIsArray(value)) {
      for (let j = 0; j < value.length; j++) ArrayPrototypePush(parts, name + encode(stringifyPrimitive(value[j])));
    } else {
      ArrayPrototypePush(parts, name + encode(stringifyPrimitive(value)));
    }
  }
  return ArrayPrototypeJoin(parts, separator);
}

function parse(text, separator = '&', equals = '=', options = undefined) {
  const result = { __proto__: null };
  if (typeof text !== 'string' || text.length === 0) return result;
  const decode = options?.decodeURIComponent ?? unescape;
  const maxKeys = options?.maxKeys ?? 1000;
  let pairs = StringPrototypeSplit(text, separator);
  if (maxKeys > 0 && pairs.length > maxKeys) pairs = primordials.ArrayPrototypeSlice(pairs, 0, maxKeys);
  for (let i = 0; i < pairs.length; i++) {
    const pair = RegExpPrototypeSymbolReplace(/\+/g, pairs[i], ' ');
    if (pair === '' && pairs.length > 1) continue;
    const index = StringPrototypeIndexOf(pair, equals);
    const key = decode(index === -1 ? pair : StringPrototypeSlice(pair, 0, index));
    const value = index === -1 ? '' : decode(StringPrototypeSlice(pair, index + equals.length));
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else if (ArrayIsArray(existing)) ArrayPrototypePush(existing, value);
    else result[key] = [existing, value];
  }
  return result;
}

module.exports = { parse, stringify, decode: parse, encode: stringify, escape, unescape };
