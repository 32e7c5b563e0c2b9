'use strict';

// What the http server and client share: the parser (internalBinding('http_parser'),
// the C++ parser of runtime/net/http_parser.h), its errors, token and header-value
// checks, and the methods list.

const { Error, RegExpPrototypeExec } = primordials;
const { HTTPParser, REQUEST, RESPONSE } = internalBinding('http_parser');

// Node's default --max-http-header-size.
const kDefaultMaxHeaderSize = 16 * 1024;

// What onHeadersComplete answers for a message without a body (the binding also
// takes 2, "upgrade", for when 'upgrade' events exist).
const kSkipBody = 1;

const methods = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH', 'MERGE',
  'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH',
  'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK',
  'UNLOCK', 'UNSUBSCRIBE',
];

// The error a parser stopped on, shaped as Node's: "Parse Error: <reason>" with
// `code` (HPE_*), `reason` and `bytesParsed` (where in the last buffer it stopped).
function parserError(parser) {
  const [code, reason, bytesParsed] = parser.error();
  const error = new Error(`Parse Error: ${reason}`);
  error.code = code;
  error.reason = reason;
  error.bytesParsed = bytesParsed;
  return error;
}

// RFC 9110 §5.6.2: token = 1*tchar
const tokenRegExp = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
function checkIsHttpToken(value) {
  return RegExpPrototypeExec(tokenRegExp, value) !== null;
}

// Header values may hold HTAB, SP, VCHAR and obs-text (RFC 9110 §5.5).
const headerCharRegex = /[^\t\x20-\x7e\x80-\xff]/;
function checkInvalidHeaderChar(value) {
  return RegExpPrototypeExec(headerCharRegex, value) !== null;
}

module.exports = {
  HTTPParser, REQUEST, RESPONSE, kDefaultMaxHeaderSize, kSkipBody, parserError, methods,
  checkIsHttpToken, checkInvalidHeaderChar, _checkIsHttpToken: checkIsHttpToken,
  _checkInvalidHeaderChar: checkInvalidHeaderChar, CRLF: '\r\n',
};
