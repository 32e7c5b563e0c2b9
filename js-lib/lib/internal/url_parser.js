'use strict';

// The WHATWG URL parser (url.spec.whatwg.org §4.4 "URL parsing"), state by state, with
// state overrides for the URL setters. A URL record is a plain object:
// { scheme, username, password, host (string|null), port (number|null),
//   path (array of segments, or a string when the path is opaque), query, fragment }.

const {
  ArrayPrototypePop, ArrayPrototypePush, ArrayPrototypeSlice, NumberParseInt,
  RegExpPrototypeSymbolReplace, StringPrototypeCharCodeAt, StringPrototypeCodePointAt,
  StringPrototypeSlice, StringPrototypeToLowerCase, encodeURIComponent,
} = primordials;
const { parseHost } = require('internal/url_host');

const kSpecialPorts = { __proto__: null, 'ftp': 21, 'file': null, 'http': 80, 'https': 443, 'ws': 80, 'wss': 443 };

function isSpecialScheme(scheme) {
  return scheme in kSpecialPorts;
}

// Percent-encode sets (§1.3), as predicates on a code point.
const isC0Control = (c) => c < 0x20 || c > 0x7e;
const inFragmentSet = (c) => isC0Control(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
const inQuerySet = (c) => isC0Control(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
const inSpecialQuerySet = (c) => inQuerySet(c) || c === 0x27;
const inPathSet = (c) => inQuerySet(c) || c === 0x3f || c === 0x60 || c === 0x7b || c === 0x7d;
const inUserinfoSet = (c) => inPathSet(c) || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40
  || (c >= 0x5b && c <= 0x5e) || c === 0x7c;
const inComponentSet = (c) => inUserinfoSet(c) || (c >= 0x24 && c <= 0x26) || c === 0x2b || c === 0x2c;
const inFormSet = (c) => inComponentSet(c) || c === 0x21 || (c >= 0x27 && c <= 0x29) || c === 0x7e;

const kHex = '0123456789ABCDEF';

// UTF-8 percent-encodes the code points of `text` that are in `set`.
function percentEncode(text, set, spaceAsPlus = false) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (spaceAsPlus && c === 0x20) {
      out += '+';
    } else if (c < 0x80) {
      out += set(c) ? `%${kHex[c >> 4]}${kHex[c & 15]}` : text[i];
    } else {
      let chunk = text[i];
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const next = StringPrototypeCharCodeAt(text, i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) chunk = StringPrototypeSlice(text, i, ++i + 1);
      }
      // encodeURIComponent throws on lone surrogates; the URL standard encodes U+FFFD.
      try {
        out += encodeURIComponent(chunk);
      } catch {
        out += '%EF%BF%BD';
      }
    }
  }
  return out;
}

const isAsciiAlpha = (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiDigit = (c) => c >= 0x30 && c <= 0x39;
const isAsciiAlphanumeric = (c) => isAsciiAlpha(c) || isAsciiDigit(c);

// "C:" or "C|" (and, when `normalized`, only "C:").
function isWindowsDriveLetter(text, normalized) {
  return text.length === 2 && isAsciiAlpha(StringPrototypeCharCodeAt(text, 0))
    && (text[1] === ':' || (!normalized && text[1] === '|'));
}

function startsWithWindowsDriveLetter(codePoints, pointer) {
  if (codePoints.length - pointer < 2) return false;
  if (!isAsciiAlpha(codePoints[pointer]) || (codePoints[pointer + 1] !== 0x3a && codePoints[pointer + 1] !== 0x7c)) {
    return false;
  }
  if (codePoints.length - pointer === 2) return true;
  const next = codePoints[pointer + 2];
  return next === 0x2f || next === 0x5c || next === 0x3f || next === 0x23;
}

function isSingleDot(segment) {
  return segment === '.' || StringPrototypeToLowerCase(segment) === '%2e';
}

function isDoubleDot(segment) {
  const lower = StringPrototypeToLowerCase(segment);
  return lower === '..' || lower === '.%2e' || lower === '%2e.' || lower === '%2e%2e';
}

function shortenPath(url) {
  if (url.scheme === 'file' && url.path.length === 1 && isWindowsDriveLetter(url.path[0], true)) return;
  ArrayPrototypePop(url.path);
}

function codePointsOf(text) {
  const codePoints = [];
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCodePointAt(text, i);
    ArrayPrototypePush(codePoints, c);
    if (c > 0xffff) i++;
  }
  return codePoints;
}

function fromCodePoints(codePoints, start, end) {
  let text = '';
  for (let i = start; i < end; i++) text += primordials.StringFromCodePoint(codePoints[i]);
  return text;
}

const kEOF = -1;
const FAILURE = null;

const State = {
  SCHEME_START: 1, SCHEME: 2, NO_SCHEME: 3, SPECIAL_RELATIVE_OR_AUTHORITY: 4, PATH_OR_AUTHORITY: 5, RELATIVE: 6,
  RELATIVE_SLASH: 7, SPECIAL_AUTHORITY_SLASHES: 8, SPECIAL_AUTHORITY_IGNORE_SLASHES: 9, AUTHORITY: 10, HOST: 11,
  HOSTNAME: 12, PORT: 13, FILE: 14, FILE_SLASH: 15, FILE_HOST: 16, PATH_START: 17, PATH: 18, OPAQUE_PATH: 19,
  QUERY: 20, FRAGMENT: 21,
};

function newRecord() {
  return { scheme: '', username: '', password: '', host: null, port: null, path: [], query: null, fragment: null };
}

// Parses `input` against `base` (a record or null). With `url` and `stateOverride`
// (the setters), modifies `url` in place and returns it, or returns FAILURE /
// undefined ("return" without change) as the spec says.
function basicParse(input, base, url, stateOverride) {
  if (url === undefined) {
    url = newRecord();
    input = RegExpPrototypeSymbolReplace(/^[\x00-\x20]+|[\x00-\x20]+$/g, input, '');
  }
  input = RegExpPrototypeSymbolReplace(/[\t\n\r]/g, input, '');
  const codePoints = codePointsOf(input);
  let state = stateOverride || State.SCHEME_START;
  let buffer = '';
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  let pointer = 0;
  const special = () => isSpecialScheme(url.scheme);

  for (;; pointer++) {
    const c = pointer < codePoints.length ? codePoints[pointer] : kEOF;
    const ch = c === kEOF ? '' : primordials.StringFromCodePoint(c);
    switch (state) {
      case State.SCHEME_START:
        if (isAsciiAlpha(c)) {
          buffer += StringPrototypeToLowerCase(ch);
          state = State.SCHEME;
        } else if (!stateOverride) {
          state = State.NO_SCHEME;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case State.SCHEME:
        if (isAsciiAlphanumeric(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
          buffer += StringPrototypeToLowerCase(ch);
        } else if (c === 0x3a) {
          if (stateOverride) {
            if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return undefined;
            if ((url.username !== '' || url.password !== '' || url.port !== null) && buffer === 'file') return undefined;
            if (url.scheme === 'file' && url.host === '') return undefined;
          }
          url.scheme = buffer;
          if (stateOverride) {
            if (url.port === kSpecialPorts[url.scheme]) url.port = null;
            return url;
          }
          buffer = '';
          if (url.scheme === 'file') {
            state = State.FILE;
          } else if (special() && base !== null && base.scheme === url.scheme) {
            state = State.SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (special()) {
            state = State.SPECIAL_AUTHORITY_SLASHES;
          } else if (codePoints[pointer + 1] === 0x2f) {
            state = State.PATH_OR_AUTHORITY;
            pointer++;
          } else {
            url.path = '';
            state = State.OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          buffer = '';
          state = State.NO_SCHEME;
          pointer = -1;
        } else {
          return FAILURE;
        }
        break;

      case State.NO_SCHEME:
        if (base === null || (typeof base.path === 'string' && c !== 0x23)) return FAILURE;
        if (typeof base.path === 'string' && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = '';
          state = State.FRAGMENT;
        } else if (base.scheme !== 'file') {
          state = State.RELATIVE;
          pointer--;
        } else {
          state = State.FILE;
          pointer--;
        }
        break;

      case State.SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2f && codePoints[pointer + 1] === 0x2f) {
          state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = State.RELATIVE;
          pointer--;
        }
        break;

      case State.PATH_OR_AUTHORITY:
        if (c === 0x2f) {
          state = State.AUTHORITY;
        } else {
          state = State.PATH;
          pointer--;
        }
        break;

      case State.RELATIVE:
        url.scheme = base.scheme;
        if (c === 0x2f) {
          state = State.RELATIVE_SLASH;
        } else if (special() && c === 0x5c) {
          state = State.RELATIVE_SLASH;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = ArrayPrototypeSlice(base.path);
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = State.QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = State.FRAGMENT;
          } else if (c !== kEOF) {
            url.query = null;
            shortenPath(url);
            state = State.PATH;
            pointer--;
          }
        }
        break;

      case State.RELATIVE_SLASH:
        if (special() && (c === 0x2f || c === 0x5c)) {
          state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2f) {
          state = State.AUTHORITY;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          state = State.PATH;
          pointer--;
        }
        break;

      case State.SPECIAL_AUTHORITY_SLASHES:
        if (c === 0x2f && codePoints[pointer + 1] === 0x2f) {
          state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer--;
        }
        break;

      case State.SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2f && c !== 0x5c) {
          state = State.AUTHORITY;
          pointer--;
        }
        break;

      case State.AUTHORITY:
        if (c === 0x40) {
          if (atSignSeen) buffer = `%40${buffer}`;
          atSignSeen = true;
          const bufferPoints = codePointsOf(buffer);
          for (let i = 0; i < bufferPoints.length; i++) {
            const point = bufferPoints[i];
            if (point === 0x3a && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const encoded = percentEncode(primordials.StringFromCodePoint(point), inUserinfoSet);
            if (passwordTokenSeen) url.password += encoded;
            else url.username += encoded;
          }
          buffer = '';
        } else if (c === kEOF || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)) {
          if (atSignSeen && buffer === '') return FAILURE;
          pointer -= codePointsOf(buffer).length + 1;
          buffer = '';
          state = State.HOST;
        } else {
          buffer += ch;
        }
        break;

      case State.HOST:
      case State.HOSTNAME:
        if (stateOverride && url.scheme === 'file') {
          pointer--;
          state = State.FILE_HOST;
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === '') return FAILURE;
          if (stateOverride === State.HOSTNAME) return undefined;
          const host = parseHost(buffer, !special(), (text) => percentEncode(text, isC0Control));
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = '';
          state = State.PORT;
        } else if (c === kEOF || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)) {
          pointer--;
          if (special() && buffer === '') return FAILURE;
          if (stateOverride && buffer === '' && (url.username !== '' || url.password !== '' || url.port !== null)) {
            return undefined;
          }
          const host = parseHost(buffer, !special(), (text) => percentEncode(text, isC0Control));
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = '';
          state = State.PATH_START;
          if (stateOverride) return url;
        } else {
          if (c === 0x5b) insideBrackets = true;
          if (c === 0x5d) insideBrackets = false;
          buffer += ch;
        }
        break;

      case State.PORT:
        if (isAsciiDigit(c)) {
          buffer += ch;
        } else if (c === kEOF || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)
                   || stateOverride) {
          if (buffer !== '') {
            const port = NumberParseInt(buffer, 10);
            if (port > 65535) return FAILURE;
            url.port = port === kSpecialPorts[url.scheme] ? null : port;
            buffer = '';
          }
          if (stateOverride) return url;
          state = State.PATH_START;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case State.FILE:
        url.scheme = 'file';
        url.host = '';
        if (c === 0x2f || c === 0x5c) {
          state = State.FILE_SLASH;
        } else if (base !== null && base.scheme === 'file') {
          url.host = base.host;
          url.path = ArrayPrototypeSlice(base.path);
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = State.QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = State.FRAGMENT;
          } else if (c !== kEOF) {
            url.query = null;
            if (!startsWithWindowsDriveLetter(codePoints, pointer)) shortenPath(url);
            else url.path = [];
            state = State.PATH;
            pointer--;
          }
        } else {
          state = State.PATH;
          pointer--;
        }
        break;

      case State.FILE_SLASH:
        if (c === 0x2f || c === 0x5c) {
          state = State.FILE_HOST;
        } else {
          if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            if (!startsWithWindowsDriveLetter(codePoints, pointer) && typeof base.path !== 'string'
                && base.path.length > 0 && isWindowsDriveLetter(base.path[0], true)) {
              ArrayPrototypePush(url.path, base.path[0]);
            }
          }
          state = State.PATH;
          pointer--;
        }
        break;

      case State.FILE_HOST:
        if (c === kEOF || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          pointer--;
          if (!stateOverride && isWindowsDriveLetter(buffer, false)) {
            state = State.PATH;
          } else if (buffer === '') {
            url.host = '';
            if (stateOverride) return url;
            state = State.PATH_START;
          } else {
            let host = parseHost(buffer, false, (text) => percentEncode(text, isC0Control));
            if (host === FAILURE) return FAILURE;
            if (host === 'localhost') host = '';
            url.host = host;
            if (stateOverride) return url;
            buffer = '';
            state = State.PATH_START;
          }
        } else {
          buffer += ch;
        }
        break;

      case State.PATH_START:
        if (special()) {
          state = State.PATH;
          if (c !== 0x2f && c !== 0x5c) pointer--;
        } else if (!stateOverride && c === 0x3f) {
          url.query = '';
          state = State.QUERY;
        } else if (!stateOverride && c === 0x23) {
          url.fragment = '';
          state = State.FRAGMENT;
        } else if (c !== kEOF) {
          state = State.PATH;
          if (c !== 0x2f) pointer--;
        } else if (stateOverride && url.host === null) {
          ArrayPrototypePush(url.path, '');
        }
        break;

      case State.PATH:
        if (c === kEOF || c === 0x2f || (special() && c === 0x5c) || (!stateOverride && (c === 0x3f || c === 0x23))) {
          if (isDoubleDot(buffer)) {
            shortenPath(url);
            if (c !== 0x2f && !(special() && c === 0x5c)) ArrayPrototypePush(url.path, '');
          } else if (isSingleDot(buffer) && c !== 0x2f && !(special() && c === 0x5c)) {
            ArrayPrototypePush(url.path, '');
          } else if (!isSingleDot(buffer)) {
            if (url.scheme === 'file' && url.path.length === 0 && isWindowsDriveLetter(buffer, false)) {
              buffer = `${buffer[0]}:`;
            }
            ArrayPrototypePush(url.path, buffer);
          }
          buffer = '';
          if (c === 0x3f) {
            url.query = '';
            state = State.QUERY;
          }
          if (c === 0x23) {
            url.fragment = '';
            state = State.FRAGMENT;
          }
        } else {
          buffer += percentEncode(ch, inPathSet);
        }
        break;

      case State.OPAQUE_PATH:
        if (c === 0x3f) {
          url.query = '';
          state = State.QUERY;
        } else if (c === 0x23) {
          url.fragment = '';
          state = State.FRAGMENT;
        } else if (c !== kEOF) {
          url.path += percentEncode(ch, isC0Control);
        }
        break;

      case State.QUERY:
        if ((!stateOverride && c === 0x23) || c === kEOF) {
          url.query += percentEncode(buffer, special() ? inSpecialQuerySet : inQuerySet);
          buffer = '';
          if (c === 0x23) {
            url.fragment = '';
            state = State.FRAGMENT;
          }
        } else {
          buffer += ch;
        }
        break;

      case State.FRAGMENT:
        if (c !== kEOF) url.fragment += percentEncode(ch, inFragmentSet);
        break;

      default:
        break;
    }
    if (pointer >= codePoints.length) break;
  }
  return url;
}

function serializePath(url) {
  if (typeof url.path === 'string') return url.path;
  let output = '';
  for (let i = 0; i < url.path.length; i++) output += `/${url.path[i]}`;
  return output;
}

function serialize(url, excludeFragment) {
  let output = `${url.scheme}:`;
  if (url.host !== null) {
    output += '//';
    if (url.username !== '' || url.password !== '') {
      output += url.username;
      if (url.password !== '') output += `:${url.password}`;
      output += '@';
    }
    output += url.host;
    if (url.port !== null) output += `:${url.port}`;
  } else if (typeof url.path !== 'string' && url.path.length > 1 && url.path[0] === '') {
    output += '/.';
  }
  output += serializePath(url);
  if (url.query !== null) output += `?${url.query}`;
  if (!excludeFragment && url.fragment !== null) output += `#${url.fragment}`;
  return output;
}

module.exports = {
  basicParse, serialize, serializePath, percentEncode, isSpecialScheme, kSpecialPorts, State, inFormSet,
  inComponentSet, inUserinfoSet, isC0Control,
};
