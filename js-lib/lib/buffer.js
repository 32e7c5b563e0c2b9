'use strict';

// `buffer`: Node's Buffer (a Uint8Array subclass), atob/btoa and constants. Text
// conversions go through internalBinding('encoding') for UTF-8, Latin-1 and UTF-16LE
// and internal/buffer/base64 for base64; the integer/float accessors are in
// internal/buffer/accessors.

const {
  ArrayBufferIsView, ArrayIsArray, MathFloor, MathMin, NumberIsNaN, ObjectDefineProperty,
  ObjectSetPrototypeOf, StringFromCharCode, StringPrototypeCharCodeAt, StringPrototypeToLowerCase,
  TypedArrayPrototypeFill, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetLength, TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray, Uint8Array, ArrayBufferPrototypeGetByteLength, SymbolToPrimitive,
} = primordials;
const encoding = internalBinding('encoding');
const base64 = require('internal/buffer/base64');
const { makeNodeError, codes, describeReceived, validateInteger } = require('internal/errors');
const { installAccessors } = require('internal/buffer/accessors');

const kMaxLength = 2 ** 32;
const kStringMaxLength = 2 ** 29 - 24;
const kInspect = primordials.SymbolFor('nodejs.util.inspect.custom');
let INSPECT_MAX_BYTES = 50;

class FastBuffer extends Uint8Array {
  // A constructor is needed so that `new FastBuffer(buffer, offset, length)` works
  // with the spread of arguments V8 optimises.
  constructor(bufferOrLength, byteOffset, length) {
    super(bufferOrLength, byteOffset, length);
  }
}

function isUint8Array(value) {
  return ArrayBufferIsView(value) && primordials.TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint8Array';
}

function isAnyArrayBuffer(value) {
  const tag = primordials.ObjectPrototypeToString(value);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

function normalizeEncoding(name) {
  if (name === undefined || name === null || name === 'utf8' || name === 'utf-8') return 'utf8';
  switch (StringPrototypeToLowerCase(`${name}`)) {
    case 'utf8': case 'utf-8': return 'utf8';
    case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
    case 'latin1': case 'binary': return 'latin1';
    case 'base64': return 'base64';
    case 'base64url': return 'base64url';
    case 'hex': return 'hex';
    case 'ascii': return 'ascii';
    default: return undefined;
  }
}

function encodingOrThrow(name) {
  const normalized = normalizeEncoding(name);
  if (normalized === undefined) throw codes.ERR_UNKNOWN_ENCODING(name);
  return normalized;
}

function utf8Length(text) {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = StringPrototypeCharCodeAt(text, i);
    if (code < 0x80) {
      length += 1;
    } else if (code < 0x800) {
      length += 2;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = StringPrototypeCharCodeAt(text, i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 4;
        i++;
      } else {
        length += 3;
      }
    } else {
      length += 3;
    }
  }
  return length;
}

function byteLengthOf(text, enc) {
  switch (enc) {
    case 'utf8': return utf8Length(text);
    case 'utf16le': return text.length * 2;
    case 'latin1': case 'ascii': return text.length;
    case 'hex': return text.length >>> 1;
    default: return base64.decodedLength(text);
  }
}

const kHexValues = primordials.TypedArrayPrototypeFill(new primordials.Int8Array(256), -1);
for (let i = 0; i < 16; i++) {
  kHexValues[StringPrototypeCharCodeAt('0123456789abcdef', i)] = i;
  kHexValues[StringPrototypeCharCodeAt('0123456789ABCDEF', i)] = i;
}

// Encodes `text` into `target` from `offset`, at most `length` bytes; returns the bytes
// written. Only whole characters (and whole hex pairs, UTF-16 units) are written.
function writeEncoded(target, text, offset, length, enc) {
  switch (enc) {
    case 'utf8':
      return encoding.encodeUtf8Into(text, target, offset, length)[1];
    case 'latin1':
    case 'ascii': {
      const count = MathMin(text.length, length);
      for (let i = 0; i < count; i++) target[offset + i] = StringPrototypeCharCodeAt(text, i) & 0xff;
      return count;
    }
    case 'utf16le': {
      const count = MathMin(text.length, length >>> 1);
      for (let i = 0; i < count; i++) {
        const code = StringPrototypeCharCodeAt(text, i);
        target[offset + 2 * i] = code & 0xff;
        target[offset + 2 * i + 1] = code >>> 8;
      }
      return count * 2;
    }
    case 'hex': {
      const count = MathMin(text.length >>> 1, length);
      for (let i = 0; i < count; i++) {
        const high = kHexValues[StringPrototypeCharCodeAt(text, 2 * i) & 0xff];
        const low = kHexValues[StringPrototypeCharCodeAt(text, 2 * i + 1) & 0xff];
        if (high === -1 || low === -1 || StringPrototypeCharCodeAt(text, 2 * i) > 0xff
            || StringPrototypeCharCodeAt(text, 2 * i + 1) > 0xff) {
          return i;
        }
        target[offset + i] = (high << 4) | low;
      }
      return count;
    }
    default: {
      const scratch = new Uint8Array(base64.decodedLength(text));
      const decoded = base64.decodeInto(text, scratch);
      const count = MathMin(decoded.length, length);
      TypedArrayPrototypeSet(target, TypedArrayPrototypeSubarray(decoded, 0, count), offset);
      return count;
    }
  }
}

function fromString(text, enc) {
  if (enc === 'utf8') {
    const bytes = encoding.encodeUtf8(text);
    return new FastBuffer(TypedArrayPrototypeGetBuffer(bytes), 0, TypedArrayPrototypeGetLength(bytes));
  }
  const buffer = new FastBuffer(byteLengthOf(text, enc));
  const written = writeEncoded(buffer, text, 0, buffer.length, enc);
  return written === buffer.length ? buffer : new FastBuffer(TypedArrayPrototypeGetBuffer(buffer), 0, written);
}

function fromArrayLike(values) {
  const length = values.length >>> 0;
  const buffer = new FastBuffer(length);
  if (ArrayBufferIsView(values) && length > 0) {
    TypedArrayPrototypeSet(buffer, values);
  } else {
    for (let i = 0; i < length; i++) buffer[i] = values[i];
  }
  return buffer;
}

function fromArrayBuffer(arrayBuffer, byteOffset, length) {
  const total = ArrayBufferPrototypeGetByteLength(arrayBuffer);
  const offset = byteOffset === undefined ? 0 : +byteOffset || 0;
  if (offset > total) {
    throw makeNodeError(primordials.RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"offset" is outside of buffer bounds');
  }
  let count = length === undefined ? total - offset : +length || 0;
  if (count > 0 && count > total - offset) {
    throw makeNodeError(primordials.RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"length" is outside of buffer bounds');
  }
  if (count < 0) count = 0;
  return new FastBuffer(arrayBuffer, offset, count);
}

function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrThrow(encodingOrOffset));
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const primitive = typeof value.valueOf === 'function' ? value.valueOf() : undefined;
    if (primitive !== undefined && primitive !== null && primitive !== value) {
      if (typeof primitive === 'string' || (typeof primitive === 'object' && primitive !== null)) {
        return from(primitive, encodingOrOffset, length);
      }
    }
    if (value.length !== undefined || ArrayBufferIsView(value)) {
      if (typeof value.length !== 'number') return new FastBuffer(0);
      return fromArrayLike(value);
    }
    if (value.type === 'Buffer' && ArrayIsArray(value.data)) return fromArrayLike(value.data);
    if (typeof value[SymbolToPrimitive] === 'function') {
      const converted = value[SymbolToPrimitive]('string');
      if (typeof converted === 'string') return fromString(converted, encodingOrThrow(encodingOrOffset));
    }
  }
  throw makeNodeError(primordials.TypeError, 'ERR_INVALID_ARG_TYPE', 'The first argument must be of type string or '
    + `an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.${describeReceived(value)}`);
}

function validateSize(size) {
  if (typeof size !== 'number') throw codes.ERR_INVALID_ARG_TYPE('size', 'number', size);
  if (!(size >= 0 && size <= kMaxLength)) throw codes.ERR_OUT_OF_RANGE('size', `>= 0 && <= ${kMaxLength}`, size);
}

// Buffer(...) without `new` is deprecated in Node but still works; so does `new Buffer`.
function Buffer(arg, encodingOrOffset, length) {
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') throw codes.ERR_INVALID_ARG_TYPE('string', 'string', arg);
    return Buffer.alloc(arg);
  }
  return from(arg, encodingOrOffset, length);
}
Buffer.prototype = FastBuffer.prototype;
ObjectDefineProperty(FastBuffer.prototype, 'constructor', {
  value: Buffer, writable: true, enumerable: false, configurable: true,
});
ObjectSetPrototypeOf(Buffer, Uint8Array);
Buffer.poolSize = 8 * 1024;
Buffer.from = from;
Buffer.of = (...items) => fromArrayLike(items);

Buffer.alloc = function alloc(size, fill, enc) {
  validateSize(size);
  const buffer = new FastBuffer(size);
  if (fill !== undefined && fill !== 0 && size > 0) buffer.fill(fill, 0, size, enc);
  return buffer;
};
// FIXME: no pool: allocUnsafe returns zeroed memory like alloc (safe, slightly slower).
Buffer.allocUnsafe = function allocUnsafe(size) {
  validateSize(size);
  return new FastBuffer(size);
};
Buffer.allocUnsafeSlow = Buffer.allocUnsafe;

Buffer.isBuffer = function isBuffer(value) {
  return value instanceof Buffer;
};

Buffer.isEncoding = function isEncoding(name) {
  return typeof name === 'string' && name.length !== 0 && normalizeEncoding(name) !== undefined;
};

Buffer.byteLength = function byteLength(value, enc) {
  if (typeof value !== 'string') {
    if (ArrayBufferIsView(value)) return value.byteLength;
    if (isAnyArrayBuffer(value)) return ArrayBufferPrototypeGetByteLength(value);
    throw codes.ERR_INVALID_ARG_TYPE('string', ['string', 'Buffer', 'ArrayBuffer'], value);
  }
  return byteLengthOf(value, normalizeEncoding(enc) ?? 'utf8');
};

function compareBytes(a, aStart, aEnd, b, bStart, bEnd) {
  const length = MathMin(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < length; i++) {
    const x = a[aStart + i];
    const y = b[bStart + i];
    if (x !== y) return x < y ? -1 : 1;
  }
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  return aLength < bLength ? -1 : aLength > bLength ? 1 : 0;
}

Buffer.compare = function compare(a, b) {
  if (!isUint8Array(a)) throw codes.ERR_INVALID_ARG_TYPE('buf1', ['Buffer', 'Uint8Array'], a);
  if (!isUint8Array(b)) throw codes.ERR_INVALID_ARG_TYPE('buf2', ['Buffer', 'Uint8Array'], b);
  return compareBytes(a, 0, a.length, b, 0, b.length);
};

Buffer.concat = function concat(list, totalLength) {
  if (!ArrayIsArray(list)) throw codes.ERR_INVALID_ARG_TYPE('list', 'Array', list);
  if (list.length === 0) return new FastBuffer(0);
  if (totalLength === undefined) {
    totalLength = 0;
    for (let i = 0; i < list.length; i++) {
      if (!isUint8Array(list[i])) throw codes.ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], list[i]);
      totalLength += list[i].length;
    }
  } else {
    validateInteger(totalLength, 'length', 0);
  }
  const result = new FastBuffer(totalLength);
  let position = 0;
  for (let i = 0; i < list.length && position < totalLength; i++) {
    const item = list[i];
    if (!isUint8Array(item)) throw codes.ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], item);
    const count = MathMin(item.length, totalLength - position);
    TypedArrayPrototypeSet(result, count === item.length ? item : TypedArrayPrototypeSubarray(item, 0, count), position);
    position += count;
  }
  return result;
};

// Clamps a slice index the way Buffer#toString/slice do (negative counts from the end).
function sliceIndex(value, length, fallback) {
  if (value === undefined) return fallback;
  value = +value;
  if (NumberIsNaN(value)) return 0;
  value = value < 0 ? MathFloor(value) + length : MathFloor(value);
  return value < 0 ? 0 : value > length ? length : value;
}

const proto = Buffer.prototype;

proto.toString = function toString(enc, start, end) {
  if (arguments.length === 0) return encoding.decodeUtf8(this, 0, this.length);
  const length = this.length;
  start = start === undefined || start <= 0 ? 0 : MathFloor(start) || 0;
  if (start >= length) return '';
  end = end === undefined || end > length ? length : MathFloor(end) || 0;
  if (end <= start) return '';
  switch (encodingOrThrow(enc)) {
    case 'utf8': return encoding.decodeUtf8(this, start, end);
    case 'latin1': return encoding.decodeLatin1(this, start, end);
    case 'ascii': {
      let out = '';
      for (let i = start; i < end; i++) out += StringFromCharCode(this[i] & 0x7f);
      return out;
    }
    case 'utf16le': return encoding.decodeUtf16le(this, start, end);
    case 'hex': {
      let out = '';
      for (let i = start; i < end; i++) out += kHexPairs[this[i]];
      return out;
    }
    case 'base64': return base64.encode(this, start, end, false);
    default: return base64.encode(this, start, end, true);
  }
};
proto.toLocaleString = proto.toString;

const kHexPairs = [];
for (let i = 0; i < 256; i++) kHexPairs[i] = `${i < 16 ? '0' : ''}${primordials.NumberPrototypeToString(i, 16)}`;

proto.write = function write(text, offset, length, enc) {
  if (typeof text !== 'string') throw codes.ERR_INVALID_ARG_TYPE('argument', 'string', text);
  if (offset === undefined) return writeEncoded(this, text, 0, this.length, 'utf8');
  if (length === undefined && typeof offset === 'string') {
    return writeEncoded(this, text, 0, this.length, encodingOrThrow(offset));
  }
  validateInteger(offset, 'offset', 0, this.length);
  const remaining = this.length - offset;
  if (length === undefined) {
    length = remaining;
  } else if (typeof length === 'string') {
    enc = length;
    length = remaining;
  } else {
    validateInteger(length, 'length', 0, this.length);
    if (length > remaining) length = remaining;
  }
  return writeEncoded(this, text, offset, length, encodingOrThrow(enc));
};

proto.slice = function slice(start, end) {
  const length = this.length;
  const from = sliceIndex(start, length, 0);
  const to = sliceIndex(end, length, length);
  return new FastBuffer(TypedArrayPrototypeGetBuffer(this), TypedArrayPrototypeGetByteOffset(this) + from,
    to > from ? to - from : 0);
};
proto.subarray = proto.slice;

proto.equals = function equals(other) {
  if (!isUint8Array(other)) throw codes.ERR_INVALID_ARG_TYPE('otherBuffer', ['Buffer', 'Uint8Array'], other);
  if (this === other) return true;
  return this.length === other.length && compareBytes(this, 0, this.length, other, 0, other.length) === 0;
};

proto.compare = function compare(target, targetStart = 0, targetEnd = target?.length, sourceStart = 0,
  sourceEnd = this.length) {
  if (!isUint8Array(target)) throw codes.ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  validateInteger(targetStart, 'targetStart', 0);
  validateInteger(targetEnd, 'targetEnd', 0, target.length);
  validateInteger(sourceStart, 'sourceStart', 0);
  validateInteger(sourceEnd, 'sourceEnd', 0, this.length);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  return compareBytes(this, sourceStart, sourceEnd, target, targetStart, targetEnd);
};

proto.copy = function copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
  if (!isUint8Array(target)) throw codes.ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  targetStart = +targetStart || 0;
  sourceStart = +sourceStart || 0;
  sourceEnd = sourceEnd === undefined ? this.length : +sourceEnd || 0;
  if (targetStart < 0) throw codes.ERR_OUT_OF_RANGE('targetStart', '>= 0', targetStart);
  if (sourceStart < 0 || sourceStart > this.length) {
    throw codes.ERR_OUT_OF_RANGE('sourceStart', `>= 0 && <= ${this.length}`, sourceStart);
  }
  if (sourceEnd > this.length) sourceEnd = this.length;
  if (targetStart >= target.length || sourceStart >= sourceEnd) return 0;
  const count = MathMin(sourceEnd - sourceStart, target.length - targetStart);
  TypedArrayPrototypeSet(target, TypedArrayPrototypeSubarray(this, sourceStart, sourceStart + count), targetStart);
  return count;
};

// The bytes `value` stands for in indexOf/includes/fill, or a number for one byte.
function needleBytes(value, enc) {
  if (typeof value === 'number') return value & 0xff;
  if (typeof value === 'string') return fromString(value, encodingOrThrow(enc));
  if (isUint8Array(value)) return value;
  throw codes.ERR_INVALID_ARG_TYPE('value', ['number', 'string', 'Buffer', 'Uint8Array'], value);
}

function indexOfBytes(haystack, needle, byteOffset, enc, forward) {
  if (typeof byteOffset === 'string') {
    enc = byteOffset;
    byteOffset = undefined;
  }
  const length = haystack.length;
  let start;
  if (byteOffset === undefined || byteOffset === null || NumberIsNaN(+byteOffset)) {
    start = forward ? 0 : length;
  } else {
    start = MathFloor(+byteOffset);
    if (start < 0) start += length;
  }
  const bytes = needleBytes(needle, enc);
  if (typeof bytes === 'number') {
    if (forward) {
      for (let i = start < 0 ? 0 : start; i < length; i++) if (haystack[i] === bytes) return i;
    } else {
      for (let i = start >= length ? length - 1 : start; i >= 0; i--) if (haystack[i] === bytes) return i;
    }
    return -1;
  }
  const count = bytes.length;
  if (count === 0) return forward ? (start > length ? length : start < 0 ? 0 : start) : (start > length ? length : start);
  const matches = (at) => {
    for (let j = 0; j < count; j++) if (haystack[at + j] !== bytes[j]) return false;
    return true;
  };
  if (forward) {
    for (let i = start < 0 ? 0 : start; i + count <= length; i++) if (matches(i)) return i;
  } else {
    for (let i = MathMin(start, length - count); i >= 0; i--) if (matches(i)) return i;
  }
  return -1;
}

proto.indexOf = function indexOf(value, byteOffset, enc) {
  return indexOfBytes(this, value, byteOffset, enc, true);
};
proto.lastIndexOf = function lastIndexOf(value, byteOffset, enc) {
  return indexOfBytes(this, value, byteOffset, enc, false);
};
proto.includes = function includes(value, byteOffset, enc) {
  return indexOfBytes(this, value, byteOffset, enc, true) !== -1;
};

proto.fill = function fill(value, offset, end, enc) {
  if (typeof offset === 'string') {
    enc = offset;
    offset = 0;
    end = this.length;
  } else if (typeof end === 'string') {
    enc = end;
    end = this.length;
  }
  offset = offset === undefined ? 0 : offset;
  end = end === undefined ? this.length : end;
  validateInteger(offset, 'offset', 0);
  validateInteger(end, 'end', 0, this.length);
  if (offset >= end) return this;
  if (typeof value === 'number' || typeof value === 'boolean') {
    TypedArrayPrototypeFill(this, +value & 0xff, offset, end);
    return this;
  }
  const bytes = typeof value === 'string' ? fromString(value, encodingOrThrow(enc)) : needleBytes(value);
  if (bytes.length === 0) {
    if (typeof value === 'string' && value.length > 0) {
      throw codes.ERR_INVALID_ARG_VALUE('value', value);
    }
    TypedArrayPrototypeFill(this, 0, offset, end);
    return this;
  }
  for (let i = offset, j = 0; i < end; i++, j = j + 1 === bytes.length ? 0 : j + 1) this[i] = bytes[j];
  return this;
};

proto.toJSON = function toJSON() {
  const data = [];
  for (let i = 0; i < this.length; i++) data[i] = this[i];
  return { type: 'Buffer', data };
};

function swap(buffer, size) {
  if (buffer.length % size !== 0) {
    throw makeNodeError(primordials.RangeError, 'ERR_INVALID_BUFFER_SIZE', `Buffer size must be a multiple of ${size * 8}-bits`);
  }
  for (let i = 0; i < buffer.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const byte = buffer[a];
      buffer[a] = buffer[b];
      buffer[b] = byte;
    }
  }
  return buffer;
}
proto.swap16 = function swap16() {
  return swap(this, 2);
};
proto.swap32 = function swap32() {
  return swap(this, 4);
};
proto.swap64 = function swap64() {
  return swap(this, 8);
};

proto[kInspect] = function inspect(recurseTimes, options) {
  const max = INSPECT_MAX_BYTES;
  const shown = MathMin(max, this.length);
  let hex = '';
  for (let i = 0; i < shown; i++) hex += `${i === 0 ? '' : ' '}${kHexPairs[this[i]]}`;
  const remaining = this.length - max;
  if (remaining > 0) hex += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return `<${this.constructor.name} ${hex}>`;
};

installAccessors(proto);

// atob/btoa (HTML "forgiving-base64"), with Node's DOMException errors.
function invalidCharacter(message) {
  const { DOMException } = require('internal/dom_exception');
  return new DOMException(message, 'InvalidCharacterError');
}

function btoa(input) {
  if (arguments.length === 0) throw codes.ERR_MISSING_ARGS('input');
  const text = `${input}`;
  const bytes = new FastBuffer(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = StringPrototypeCharCodeAt(text, i);
    if (code > 0xff) throw invalidCharacter('Invalid character');
    bytes[i] = code;
  }
  return base64.encode(bytes, 0, bytes.length, false);
}

function atob(input) {
  if (arguments.length === 0) throw codes.ERR_MISSING_ARGS('input');
  let text = primordials.RegExpPrototypeSymbolReplace(/[\t\n\f\r ]/g, `${input}`, '');
  if (text.length % 4 === 0) text = primordials.RegExpPrototypeSymbolReplace(/==?$/, text, '');
  if (text.length % 4 === 1 || primordials.RegExpPrototypeExec(/[^A-Za-z0-9+/]/, text) !== null) {
    throw invalidCharacter('The string to be decoded is not correctly encoded.');
  }
  const decoded = base64.decodeInto(text, new FastBuffer(base64.decodedLength(text)));
  return encoding.decodeLatin1(decoded, 0, decoded.length);
}

function isUtf8(input) {
  try {
    encoding.decodeUtf8(input, 0, TypedArrayPrototypeGetByteLength(input), true);
    return true;
  } catch {
    return false;
  }
}

function isAscii(input) {
  for (let i = 0; i < input.length; i++) if (input[i] > 0x7f) return false;
  return true;
}

function SlowBuffer(size) {
  return Buffer.allocUnsafeSlow(size);
}

module.exports = {
  Buffer,
  SlowBuffer,
  atob,
  btoa,
  isUtf8,
  isAscii,
  kMaxLength,
  kStringMaxLength,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  get INSPECT_MAX_BYTES() {
    return INSPECT_MAX_BYTES;
  },
  set INSPECT_MAX_BYTES(value) {
    INSPECT_MAX_BYTES = value;
  },
};
// Shared with the rest of the library (fs, string_decoder, util).
internals.FastBuffer = FastBuffer;
internals.normalizeEncoding = normalizeEncoding;
