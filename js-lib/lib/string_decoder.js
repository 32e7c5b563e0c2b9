'use strict';

// `string_decoder`: decodes a byte stream into strings without splitting multi-byte
// characters across write() calls (utf8, utf16le, base64/base64url), as Node's does.

const { TypedArrayPrototypeSubarray } = primordials;
const { Buffer } = require('buffer');
const { codes } = require('internal/errors');

// Bytes at the end of `bytes` that begin an unfinished UTF-8 character (0-3).
function utf8Incomplete(bytes) {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

class StringDecoder {
  constructor(encoding) {
    const normalized = internals.normalizeEncoding(encoding);
    if (normalized === undefined) throw codes.ERR_UNKNOWN_ENCODING(encoding);
    this.encoding = normalized;
    this.pending = Buffer.alloc(0);
  }

  #held(bytes) {
    switch (this.encoding) {
      case 'utf8': return utf8Incomplete(bytes);
      case 'utf16le': {
        let held = bytes.length % 2;
        // Keep a high surrogate until its pair arrives.
        if (held === 0 && bytes.length >= 2) {
          const last = bytes[bytes.length - 2] | (bytes[bytes.length - 1] << 8);
          if (last >= 0xd800 && last <= 0xdbff) held = 2;
        }
        return held;
      }
      case 'base64': case 'base64url': return bytes.length % 3;
      default: return 0;
    }
  }

  write(chunk) {
    if (typeof chunk === 'string') return chunk;
    if (!primordials.ArrayBufferIsView(chunk)) {
      throw codes.ERR_INVALID_ARG_TYPE('buf', ['Buffer', 'TypedArray', 'DataView'], chunk);
    }
    const incoming = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const bytes = this.pending.length === 0 ? incoming : Buffer.concat([this.pending, incoming]);
    const held = this.#held(bytes);
    this.pending = Buffer.from(TypedArrayPrototypeSubarray(bytes, bytes.length - held));
    return bytes.toString(this.encoding, 0, bytes.length - held);
  }

  end(chunk) {
    let text = chunk === undefined ? '' : this.write(chunk);
    if (this.pending.length > 0) {
      text += this.pending.toString(this.encoding);
      this.pending = Buffer.alloc(0);
    }
    return text;
  }

  text(chunk, index) {
    return this.write(TypedArrayPrototypeSubarray(chunk, index));
  }
}

module.exports = { StringDecoder };
