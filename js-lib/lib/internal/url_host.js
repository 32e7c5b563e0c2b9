'use strict';

// Host parsing and serialization for the WHATWG URL parser (url.spec.whatwg.org §3.5:
// "host parsing", IPv4 and IPv6 parsers and serializers) and domain to ASCII
// (UTS #46 reduced to lower-casing plus Punycode, RFC 3492, for non-ASCII labels).

const {
  ArrayPrototypeJoin, ArrayPrototypePush, NumberParseInt, RegExpPrototypeExec, StringFromCharCode,
  StringPrototypeCharCodeAt, StringPrototypeCodePointAt, StringPrototypeSlice,
  StringPrototypeSplit, StringPrototypeStartsWith, StringPrototypeToLowerCase, MathFloor, NumberIsNaN,
  NumberPrototypeToString,
} = primordials;

const kFailure = null;

// Forbidden host code points (§3.1), for opaque hosts; domains also forbid C0 controls,
// '%' and DEL.
const kForbiddenHost = /[\x00\t\n\r #/:<>?@[\\\]^|]/;
const kForbiddenDomain = /[\x00-\x1f\t\n\r #%/:<>?@[\\\]^|\x7f]/;

function percentDecodeToString(input) {
  const bytes = [];
  for (let i = 0; i < input.length; i++) {
    const code = StringPrototypeCharCodeAt(input, i);
    if (code === 0x25 && i + 2 < input.length && RegExpPrototypeExec(/^[0-9a-fA-F]{2}$/, StringPrototypeSlice(input, i + 1, i + 3)) !== null) {
      ArrayPrototypePush(bytes, NumberParseInt(StringPrototypeSlice(input, i + 1, i + 3), 16));
      i += 2;
    } else if (code < 0x80) {
      ArrayPrototypePush(bytes, code);
    } else {
      const encoded = primordials.encodeURIComponent(StringPrototypeSlice(input, i, i + (code >= 0xd800 && code <= 0xdbff ? 2 : 1)));
      for (let j = 0; j < encoded.length; j += 3) ArrayPrototypePush(bytes, NumberParseInt(StringPrototypeSlice(encoded, j + 1, j + 3), 16));
      if (code >= 0xd800 && code <= 0xdbff) i++;
    }
  }
  return utf8DecodeLossy(bytes);
}

function utf8DecodeLossy(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const byte = bytes[i];
    let needed = 0;
    let codePoint = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (byte < 0x80) {
      out += StringFromCharCode(byte);
      i++;
      continue;
    } else if (byte >= 0xc2 && byte <= 0xdf) {
      needed = 1;
      codePoint = byte & 0x1f;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      if (byte === 0xe0) lower = 0xa0;
      if (byte === 0xed) upper = 0x9f;
      needed = 2;
      codePoint = byte & 0xf;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      if (byte === 0xf0) lower = 0x90;
      if (byte === 0xf4) upper = 0x8f;
      needed = 3;
      codePoint = byte & 0x7;
    } else {
      out += '\ufffd';
      i++;
      continue;
    }
    let j = 1;
    for (; j <= needed; j++) {
      const next = bytes[i + j];
      if (next === undefined || next < lower || next > upper) break;
      lower = 0x80;
      upper = 0xbf;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (j <= needed) {
      out += '\ufffd';
      i += j;
      continue;
    }
    out += primordials.StringFromCodePoint(codePoint);
    i += needed + 1;
  }
  return out;
}

// RFC 3492 Punycode encoding of one label.
function punycodeEncode(input) {
  const codePoints = [];
  for (let i = 0; i < input.length; i++) {
    const codePoint = StringPrototypeCodePointAt(input, i);
    ArrayPrototypePush(codePoints, codePoint);
    if (codePoint > 0xffff) i++;
  }
  const base = 36;
  const tMin = 1;
  const tMax = 26;
  const adapt = (delta, numPoints, firstTime) => {
    delta = firstTime ? MathFloor(delta / 700) : delta >> 1;
    delta += MathFloor(delta / numPoints);
    let k = 0;
    while (delta > ((base - tMin) * tMax) >> 1) {
      delta = MathFloor(delta / (base - tMin));
      k += base;
    }
    return k + MathFloor(((base - tMin + 1) * delta) / (delta + 38));
  };
  const digit = (d) => StringFromCharCode(d + 22 + 75 * (d < 26));
  let output = '';
  for (let i = 0; i < codePoints.length; i++) if (codePoints[i] < 0x80) output += StringFromCharCode(codePoints[i]);
  const basicLength = output.length;
  let handled = basicLength;
  if (basicLength > 0) output += '-';
  let n = 128;
  let delta = 0;
  let bias = 72;
  while (handled < codePoints.length) {
    let m = 0x7fffffff;
    for (let i = 0; i < codePoints.length; i++) if (codePoints[i] >= n && codePoints[i] < m) m = codePoints[i];
    delta += (m - n) * (handled + 1);
    n = m;
    for (let i = 0; i < codePoints.length; i++) {
      const c = codePoints[i];
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
          if (q < t) break;
          output += digit(t + ((q - t) % (base - t)));
          q = MathFloor((q - t) / (base - t));
        }
        output += digit(q);
        bias = adapt(delta, handled + 1, handled === basicLength);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return output;
}

// FIXME: full UTS #46 mapping (e.g. fullwidth forms, ß) needs the IDNA tables; ICU has
// them but V8 does not expose them. Lower-casing covers the usual inputs.
function domainToAscii(domain) {
  const lowered = StringPrototypeToLowerCase(domain);
  // '。' and other ideographic full stops are label separators in UTS #46.
  const labels = StringPrototypeSplit(lowered, /[.\u3002\uff0e\uff61]/);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (RegExpPrototypeExec(/[^\x00-\x7f]/, label) !== null) labels[i] = `xn--${punycodeEncode(label)}`;
  }
  return ArrayPrototypeJoin(labels, '.');
}

// IPv4 number parser: decimal, 0x hex, 0 octal. Returns NaN on failure.
function parseIPv4Number(input) {
  if (input === '') return NaN;
  let radix = 10;
  if (input.length >= 2 && input[0] === '0' && (input[1] === 'x' || input[1] === 'X')) {
    input = StringPrototypeSlice(input, 2);
    radix = 16;
  } else if (input.length >= 2 && input[0] === '0') {
    input = StringPrototypeSlice(input, 1);
    radix = 8;
  }
  if (input === '') return 0;
  const pattern = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (RegExpPrototypeExec(pattern, input) === null) return NaN;
  return NumberParseInt(input, radix);
}

// "ends in a number" (§3.5): the last non-empty label is numeric.
function endsInANumber(input) {
  const parts = StringPrototypeSplit(input, '.');
  if (parts[parts.length - 1] === '') {
    if (parts.length === 1) return false;
    parts.length--;
  }
  const last = parts[parts.length - 1];
  if (last !== '' && RegExpPrototypeExec(/^[0-9]+$/, last) !== null) return true;
  return !NumberIsNaN(parseIPv4Number(last)) && last !== '';
}

function parseIPv4(input) {
  const parts = StringPrototypeSplit(input, '.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.length--;
  if (parts.length > 4) return kFailure;
  const numbers = [];
  for (let i = 0; i < parts.length; i++) {
    const n = parseIPv4Number(parts[i]);
    if (NumberIsNaN(n)) return kFailure;
    ArrayPrototypePush(numbers, n);
  }
  for (let i = 0; i < numbers.length - 1; i++) if (numbers[i] > 255) return kFailure;
  if (numbers[numbers.length - 1] >= 256 ** (5 - numbers.length)) return kFailure;
  let ipv4 = numbers[numbers.length - 1];
  for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i] * 256 ** (3 - i);
  return ipv4;
}

function serializeIPv4(address) {
  const parts = [];
  for (let i = 0; i < 4; i++) {
    ArrayPrototypePush(parts, `${address % 256}`);
    address = MathFloor(address / 256);
  }
  return `${parts[3]}.${parts[2]}.${parts[1]}.${parts[0]}`;
}

function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let pointer = 0;
  const c = () => input[pointer];
  const isHex = (ch) => ch !== undefined && RegExpPrototypeExec(/^[0-9a-fA-F]$/, ch) !== null;
  const isDigit = (ch) => ch !== undefined && ch >= '0' && ch <= '9';
  if (c() === ':') {
    if (input[pointer + 1] !== ':') return kFailure;
    pointer += 2;
    pieceIndex++;
    compress = pieceIndex;
  }
  while (c() !== undefined) {
    if (pieceIndex === 8) return kFailure;
    if (c() === ':') {
      if (compress !== null) return kFailure;
      pointer++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && isHex(c())) {
      value = value * 0x10 + NumberParseInt(c(), 16);
      pointer++;
      length++;
    }
    if (c() === '.') {
      if (length === 0) return kFailure;
      pointer -= length;
      if (pieceIndex > 6) return kFailure;
      let numbersSeen = 0;
      while (c() !== undefined) {
        let ipv4Piece = null;
        if (numbersSeen > 0) {
          if (c() === '.' && numbersSeen < 4) pointer++;
          else return kFailure;
        }
        if (!isDigit(c())) return kFailure;
        while (isDigit(c())) {
          const number = NumberParseInt(c(), 10);
          if (ipv4Piece === null) ipv4Piece = number;
          else if (ipv4Piece === 0) return kFailure;
          else ipv4Piece = ipv4Piece * 10 + number;
          if (ipv4Piece > 255) return kFailure;
          pointer++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return kFailure;
      break;
    } else if (c() === ':') {
      pointer++;
      if (c() === undefined) return kFailure;
    } else if (c() !== undefined) {
      return kFailure;
    }
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const temp = address[compress + swaps - 1];
      address[compress + swaps - 1] = address[pieceIndex];
      address[pieceIndex] = temp;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return kFailure;
  }
  return address;
}

function serializeIPv6(address) {
  // Compress the first longest run of two or more zero pieces.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (address[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  let output = '';
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && address[i] === 0) continue;
    ignore0 = false;
    if (bestStart === i) {
      output += i === 0 ? '::' : ':';
      ignore0 = true;
      continue;
    }
    output += NumberPrototypeToString(address[i], 16);
    if (i !== 7) output += ':';
  }
  return `[${output}]`;
}

// Opaque hosts of non-special URLs are only percent-encoded (C0 control set).
function parseOpaqueHost(input, percentEncode) {
  if (RegExpPrototypeExec(kForbiddenHost, input) !== null) return kFailure;
  return percentEncode(input);
}

// The host parser; returns the serialized host or null for failure.
function parseHost(input, isOpaque, percentEncode) {
  if (StringPrototypeStartsWith(input, '[')) {
    if (input[input.length - 1] !== ']') return kFailure;
    const address = parseIPv6(StringPrototypeSlice(input, 1, -1));
    return address === kFailure ? kFailure : serializeIPv6(address);
  }
  if (isOpaque) return parseOpaqueHost(input, percentEncode);
  const domain = percentDecodeToString(input);
  const asciiDomain = domainToAscii(domain);
  if (asciiDomain === '' || RegExpPrototypeExec(kForbiddenDomain, asciiDomain) !== null) return kFailure;
  if (endsInANumber(asciiDomain)) {
    const ipv4 = parseIPv4(asciiDomain);
    return ipv4 === kFailure ? kFailure : serializeIPv4(ipv4);
  }
  return asciiDomain;
}

module.exports = { parseHost, domainToAscii, utf8DecodeLossy, percentDecodeToString };
