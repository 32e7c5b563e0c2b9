'use strict';

// TextEncoder and TextDecoder (WHATWG Encoding Standard) for UTF-8 and UTF-16LE, plus
// latin1/windows-1252 decoding as Node without full ICU offers. Streaming decode
// keeps incomplete sequences between calls; BOMs are stripped unless ignoreBOM.

const {
  ObjectDefineProperties, StringPrototypeToLowerCase, StringPrototypeTrim, SymbolToStringTag,
  TypedArrayPrototypeSet, ArrayBufferIsView,
} = primordials;
const encoding = internalBinding('encoding');
const { makeNodeError, codes } = require('internal/errors');

const kInspect = primordials.SymbolFor('nodejs.util.inspect.custom');

class TextEncoder {
  get encoding() {
    return 'utf-8';
  }

  encode(input = '') {
    return encoding.encodeUtf8(`${input}`);
  }

  encodeInto(source, destination) {
    const result = encoding.encodeUtf8Into(`${source}`, destination, 0, destination.length);
    return { read: result[0], written: result[1] };
  }

  [kInspect](depth, options, inspect) {
    return "{ encoding: 'utf-8' }";
  }
}
ObjectDefineProperties(TextEncoder.prototype, {
  encode: { enumerable: true }, encodeInto: { enumerable: true }, encoding: { enumerable: true },
  [SymbolToStringTag]: { value: 'TextEncoder', configurable: true },
});

// Encoding labels (Encoding Standard §4.2) for the encodings we decode.
const kLabels = {
  __proto__: null,
  'unicode-1-1-utf-8': 'utf-8', 'unicode11utf8': 'utf-8', 'unicode20utf8': 'utf-8', 'utf-8': 'utf-8', 'utf8': 'utf-8',
  'x-unicode20utf8': 'utf-8',
  'csunicode': 'utf-16le', 'iso-10646-ucs-2': 'utf-16le', 'ucs-2': 'utf-16le', 'unicode': 'utf-16le',
  'unicodefeff': 'utf-16le', 'utf-16': 'utf-16le', 'utf-16le': 'utf-16le',
  'ansi_x3.4-1968': 'windows-1252', 'ascii': 'windows-1252', 'cp1252': 'windows-1252', 'cp819': 'windows-1252',
  'csisolatin1': 'windows-1252', 'ibm819': 'windows-1252', 'iso-8859-1': 'windows-1252', 'iso-ir-100': 'windows-1252',
  'iso8859-1': 'windows-1252', 'iso88591': 'windows-1252', 'iso_8859-1': 'windows-1252',
  'iso_8859-1:1987': 'windows-1252', 'l1': 'windows-1252', 'latin1': 'windows-1252', 'us-ascii': 'windows-1252',
  'windows-1252': 'windows-1252', 'x-cp1252': 'windows-1252',
};

// Bytes of an unfinished UTF-8 sequence at the end of `bytes` (0-3).
function incompleteUtf8Tail(bytes) {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = bytes[length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 && byte < 0xe0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

function toBytes(input) {
  if (input === undefined) return new primordials.Uint8Array(0);
  if (ArrayBufferIsView(input)) return new primordials.Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const tag = primordials.ObjectPrototypeToString(input);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new primordials.Uint8Array(input);
  throw codes.ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'ArrayBufferView'], input);
}

class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  #pending = null; // bytes held back from the previous stream chunk
  #bomSeen = false;

  constructor(label = 'utf-8', options = {}) {
    const name = kLabels[StringPrototypeToLowerCase(StringPrototypeTrim(`${label}`))];
    if (name === undefined) {
      throw makeNodeError(primordials.RangeError, 'ERR_ENCODING_NOT_SUPPORTED', `The "${label}" encoding is not supported`);
    }
    this.#encoding = name;
    this.#fatal = Boolean(options?.fatal);
    this.#ignoreBOM = Boolean(options?.ignoreBOM);
  }

  get encoding() {
    return this.#encoding;
  }

  get fatal() {
    return this.#fatal;
  }

  get ignoreBOM() {
    return this.#ignoreBOM;
  }

  decode(input = undefined, options = {}) {
    let bytes = toBytes(input);
    const stream = Boolean(options?.stream);
    if (this.#pending !== null) {
      const joined = new primordials.Uint8Array(this.#pending.length + bytes.length);
      TypedArrayPrototypeSet(joined, this.#pending);
      TypedArrayPrototypeSet(joined, bytes, this.#pending.length);
      bytes = joined;
      this.#pending = null;
    }
    let end = bytes.length;
    if (stream) {
      const held = this.#encoding === 'utf-8' ? incompleteUtf8Tail(bytes) : this.#encoding === 'utf-16le' ? end % 2 : 0;
      if (held > 0) {
        this.#pending = primordials.TypedArrayPrototypeSlice(bytes, end - held);
        end -= held;
      }
    }
    let text;
    if (this.#encoding === 'utf-8') {
      text = encoding.decodeUtf8(bytes, 0, end, this.#fatal);
    } else if (this.#encoding === 'utf-16le') {
      if (!stream && end % 2 === 1 && this.#fatal) {
        throw makeNodeError(primordials.TypeError, 'ERR_ENCODING_INVALID_ENCODED_DATA',
          'The encoded data was not valid for encoding utf-16le');
      }
      text = encoding.decodeUtf16le(bytes, 0, end) + (!stream && end % 2 === 1 ? '\ufffd' : '');
    } else {
      // FIXME: bytes 0x80-0x9f map to windows-1252's extra characters in the standard;
      // this decodes them as Latin-1, as Node without ICU does.
      text = encoding.decodeLatin1(bytes, 0, end);
    }
    if (!this.#ignoreBOM && !this.#bomSeen && text.length > 0) {
      if (this.#encoding !== 'windows-1252' && primordials.StringPrototypeCharCodeAt(text, 0) === 0xfeff) {
        text = primordials.StringPrototypeSlice(text, 1);
      }
      this.#bomSeen = true;
    }
    if (!stream) this.#bomSeen = false;
    return text;
  }

  [kInspect](depth, options, inspect) {
    return `TextDecoder { encoding: '${this.#encoding}', fatal: ${this.#fatal}, ignoreBOM: ${this.#ignoreBOM} }`;
  }
}
ObjectDefineProperties(TextDecoder.prototype, {
  decode: { enumerable: true }, encoding: { enumerable: true }, fatal: { enumerable: true },
  ignoreBOM: { enumerable: true }, [SymbolToStringTag]: { value: 'TextDecoder', configurable: true },
});

module.exports = { TextEncoder, TextDecoder };
