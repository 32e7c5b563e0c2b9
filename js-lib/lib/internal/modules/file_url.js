'use strict';

// file: URLs <-> absolute paths for the ES module loader, whose module keys are
// file URLs (as import.meta.url shows them). Same encoding as Node's pathToFileURL:
// the WHATWG path percent-encode set plus '%', '#', '?', '\\' and newlines.

const {
  StringPrototypeCharCodeAt, StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeStartsWith,
  StringPrototypeToLowerCase, decodeURIComponent, encodeURIComponent,
} = primordials;
const { makeNodeError } = require('internal/errors');

const kHex = '0123456789ABCDEF';

function mustEncode(code) {
  return code <= 0x20 || code >= 0x7f || code === 0x22 || code === 0x23 || code === 0x25 || code === 0x3c
    || code === 0x3e || code === 0x3f || code === 0x5c || code === 0x60 || code === 0x7b || code === 0x7d;
}

function pathToFileUrl(path) {
  let encoded = '';
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const code = StringPrototypeCharCodeAt(path, i);
    if (!mustEncode(code)) continue;
    encoded += StringPrototypeSlice(path, start, i);
    // A surrogate pair is one code point: encode both halves together.
    const isPair = code >= 0xd800 && code <= 0xdbff && i + 1 < path.length;
    const end = isPair ? i + 2 : i + 1;
    const chunk = StringPrototypeSlice(path, i, end);
    encoded += code < 0x80 ? `%${kHex[code >> 4]}${kHex[code & 15]}` : encodeURIComponent(chunk);
    start = end;
    i = end - 1;
  }
  return `file://${encoded}${StringPrototypeSlice(path, start)}`;
}

// Throws ERR_INVALID_FILE_URL_PATH / _HOST as Node's fileURLToPath does.
function fileUrlToPath(url) {
  if (!StringPrototypeStartsWith(url, 'file:')) {
    throw makeNodeError(primordials.TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  }
  let rest = StringPrototypeSlice(url, 5);
  if (StringPrototypeStartsWith(rest, '//')) {
    const slash = StringPrototypeIndexOf(rest, '/', 2);
    const host = StringPrototypeSlice(rest, 2, slash === -1 ? rest.length : slash);
    if (host !== '' && StringPrototypeToLowerCase(host) !== 'localhost') {
      throw makeNodeError(primordials.TypeError, 'ERR_INVALID_FILE_URL_HOST',
        'File URL host must be "localhost" or empty on linux');
    }
    rest = slash === -1 ? '/' : StringPrototypeSlice(rest, slash);
  }
  const query = StringPrototypeIndexOf(rest, '?');
  if (query !== -1) rest = StringPrototypeSlice(rest, 0, query);
  const fragment = StringPrototypeIndexOf(rest, '#');
  if (fragment !== -1) rest = StringPrototypeSlice(rest, 0, fragment);
  for (let i = 0; i + 2 < rest.length; i++) {
    if (rest[i] === '%' && rest[i + 1] === '2' && (rest[i + 2] === 'f' || rest[i + 2] === 'F')) {
      throw makeNodeError(primordials.TypeError, 'ERR_INVALID_FILE_URL_PATH',
        'File URL path must not include encoded / characters');
    }
  }
  return decodeURIComponent(rest);
}

module.exports = { pathToFileUrl, fileUrlToPath };
