'use strict';

// Base64 and base64url (RFC 4648 §4, §5) for Buffer. Decoding is as lenient as Node's:
// both alphabets are accepted, whitespace and other characters are skipped, and
// decoding stops at the first '='.

const { StringPrototypeCharCodeAt, TypedArrayPrototypeSubarray } = primordials;

const kAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const kUrlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Character code -> 6-bit value, or -1.
const kDecodeTable = primordials.TypedArrayPrototypeFill(new primordials.Int8Array(256), -1);
for (let i = 0; i < 64; i++) {
  kDecodeTable[StringPrototypeCharCodeAt(kAlphabet, i)] = i;
  kDecodeTable[StringPrototypeCharCodeAt(kUrlAlphabet, i)] = i;
}

function encode(bytes, start, end, url) {
  const alphabet = url ? kUrlAlphabet : kAlphabet;
  let out = '';
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + alphabet[n & 63];
  }
  const rest = end - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + (url ? '' : '==');
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + (url ? '' : '=');
  }
  return out;
}

// Bytes the decoded form of `text` takes, as Node computes it (an upper bound that is
// exact for well-formed input).
function decodedLength(text) {
  let length = text.length;
  if (length > 0 && StringPrototypeCharCodeAt(text, length - 1) === 0x3d) length--;
  if (length > 1 && StringPrototypeCharCodeAt(text, length - 1) === 0x3d) length--;
  return (length * 3) >>> 2;
}

// Decodes into `target` (a Uint8Array with room for decodedLength(text) bytes);
// returns the subarray actually written.
function decodeInto(text, target) {
  let written = 0;
  let accumulator = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = StringPrototypeCharCodeAt(text, i);
    if (code === 0x3d) break;
    const value = code < 256 ? kDecodeTable[code] : -1;
    if (value === -1) continue;
    accumulator = (accumulator << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (written < target.length) target[written++] = (accumulator >> bits) & 0xff;
    }
  }
  return TypedArrayPrototypeSubarray(target, 0, written);
}

module.exports = { encode, decodedLength, decodeInto };
