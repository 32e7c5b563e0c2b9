'use strict';

// What the http server and client share: the parser (internal/http/parser.js), token
// and header-value checks, and the methods list.

const { RegExpPrototypeExec } = primordials;
const { HTTPParser, REQUEST, RESPONSE, kDefaultMaxHeaderSize, tokenRegExp } = require('internal/http/parser');

const methods = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH', 'MERGE',
  'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH',
  'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK',
  'UNLOCK', 'UNSUBSCRIBE',
];

function checkIsHttpToken(value) {
  return RegExpPrototypeExec(tokenRegExp, value) !== null;
}

// Header values may hold HTAB, SP, VCHAR and obs-text (RFC 9110 §5.5).
const headerCharRegex = /[^\t\x20-\x7e\x80-\xff]/;
function checkInvalidHeaderChar(value) {
  return RegExpPrototypeExec(headerCharRegex, value) !== null;
}

module.exports = {
  HTTPParser, REQUEST, RESPONSE, kDefaultMaxHeaderSize, methods, checkIsHttpToken, checkInvalidHeaderChar,
  _checkIsHttpToken: checkIsHttpToken, _checkInvalidHeaderChar: checkInvalidHeaderChar,
  CRLF: '\r\n',
};
