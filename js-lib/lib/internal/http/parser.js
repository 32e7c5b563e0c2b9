'use strict';

// An incremental HTTP/1.1 message parser (RFC 9112) for requests and responses, in JS.
// Strict where laxness enables request smuggling: CRLF line endings, token header
// names, no obs-fold (§5.2), no whitespace before the colon (§5.1), one consistent
// Content-Length (RFC 9110 §8.6), Transfer-Encoding with Content-Length rejected
// (§6.3), chunked only as the final coding, hex chunk sizes with a bound. The header
// section is limited (maxHeaderSize, 16 KiB by default as in Node); past it the error
// is HPE_HEADER_OVERFLOW, which the server answers with 431. Errors are returned (with
// llhttp's codes), never thrown, and the parser then stays failed.
//
// Callbacks on the `handler` object:
//   onHeaders(info) → true to skip the body (a response to HEAD);
//     info = { method, url, versionMajor, versionMinor, rawHeaders, statusCode,
//              statusMessage, shouldKeepAlive, upgrade }
//   onBody(buffer)
//   onMessageComplete(rawTrailers)

const {
  ArrayPrototypePush, NumberParseInt, RegExpPrototypeExec, StringPrototypeCharCodeAt, StringPrototypeIndexOf,
  StringPrototypeSlice, StringPrototypeToLowerCase, StringPrototypeTrim, TypedArrayPrototypeSubarray,
} = primordials;
const { Buffer } = require('buffer');

const REQUEST = 1;
const RESPONSE = 2;

const kDefaultMaxHeaderSize = 16 * 1024;
const kMaxChunkSizeLine = 1024;

// RFC 9110 §5.6.2: token = 1*tchar
const tokenRegExp = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// field-value: VCHAR, obs-text, SP, HTAB (§5.5); NUL, CR, LF and other CTLs are errors.
const invalidValueRegExp = /[\x00-\x08\x0a-\x1f\x7f]/;
const requestLineRegExp = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP\/(\d)\.(\d)$/;
const statusLineRegExp = /^HTTP\/(\d)\.(\d) (\d{3})(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?$/;

// Parser states.
const START = 0;
const HEADERS = 1;
const BODY_LENGTH = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_DATA_END = 5;
const TRAILERS = 6;
const BODY_EOF = 7;
const FAILED = 8;
const UPGRADED = 9;

function parserError(code, reason) {
  const error = new primordials.Error(`Parse Error: ${reason}`);
  error.code = code;
  error.reason = reason;
  return error;
}

class HTTPParser {
  constructor(kind, handler, options) {
    this.kind = kind;
    this.handler = handler;
    this.maxHeaderSize = options?.maxHeaderSize ?? kDefaultMaxHeaderSize;
    this.state = START;
    this.pending = ''; // header/chunk-line bytes not yet complete, as latin1
    this.headerBytes = 0;
    this.remaining = 0;
    this.info = null;
    this.trailers = null;
    // For responses: the request method (HEAD has no body) set by the client.
    this.expectNoBody = false;
    this.error = null;
    this.messages = 0;
  }

  // Feeds bytes; returns null, or the error that stopped the parser (bytesParsed set).
  execute(buffer) {
    if (this.state === FAILED) return this.error;
    let offset = 0;
    const length = buffer.length;
    while (offset < length && this.state !== FAILED && this.state !== UPGRADED) {
      switch (this.state) {
        case START:
        case HEADERS:
        case TRAILERS:
        case CHUNK_SIZE:
        case CHUNK_DATA_END:
          offset = this.readLines(buffer, offset);
          break;
        case BODY_LENGTH: {
          const take = length - offset < this.remaining ? length - offset : this.remaining;
          const chunk = TypedArrayPrototypeSubarray(buffer, offset, offset + take);
          offset += take;
          this.remaining -= take;
          this.handler.onBody(chunk);
          if (this.remaining === 0) this.completeMessage(null);
          break;
        }
        case CHUNK_DATA: {
          const take = length - offset < this.remaining ? length - offset : this.remaining;
          const chunk = TypedArrayPrototypeSubarray(buffer, offset, offset + take);
          offset += take;
          this.remaining -= take;
          this.handler.onBody(chunk);
          if (this.remaining === 0) this.state = CHUNK_DATA_END;
          break;
        }
        case BODY_EOF:
          this.handler.onBody(offset === 0 ? buffer : TypedArrayPrototypeSubarray(buffer, offset));
          offset = length;
          break;
        default:
          offset = length;
      }
    }
    if (this.state === FAILED) {
      this.error.bytesParsed = offset;
      return this.error;
    }
    if (this.state === UPGRADED) this.upgradeOffset = offset;
    return null;
  }

  // The connection ended: completes a body delimited by close (RFC 9112 §6.3 item 8);
  // an incomplete message is an error.
  finish() {
    if (this.state === BODY_EOF) {
      this.completeMessage(null);
      return null;
    }
    if (this.state === START && this.pending.length === 0) return null;
    if (this.state === FAILED) return this.error;
    return this.fail('HPE_INVALID_EOF_STATE', 'Invalid EOF state');
  }

  fail(code, reason) {
    this.state = FAILED;
    this.error = parserError(code, reason);
    return this.error;
  }

  // Line-oriented states: collect bytes up to CRLF.
  readLines(buffer, offset) {
    const length = buffer.length;
    while (offset < length) {
      const newline = buffer.indexOf(10, offset);
      const end = newline === -1 ? length : newline + 1;
      const limit = this.state === CHUNK_SIZE || this.state === CHUNK_DATA_END ? kMaxChunkSizeLine
        : this.maxHeaderSize;
      if (this.state !== CHUNK_SIZE && this.state !== CHUNK_DATA_END) {
        this.headerBytes += end - offset;
        if (this.headerBytes > limit) {
          this.fail('HPE_HEADER_OVERFLOW', 'Header overflow');
          return end;
        }
      } else if (this.pending.length + (end - offset) > limit) {
        this.fail('HPE_INVALID_CHUNK_SIZE', 'Chunk size line too long');
        return end;
      }
      this.pending += buffer.toString('latin1', offset, end);
      offset = end;
      if (newline === -1) return offset;
      const line = this.pending;
      this.pending = '';
      if (line.length < 2 || StringPrototypeCharCodeAt(line, line.length - 2) !== 13) {
        this.fail('HPE_LF_EXPECTED', 'Missing expected CR after header value');
        return offset;
      }
      this.onLine(StringPrototypeSlice(line, 0, line.length - 2));
      if (this.state === FAILED || this.state === BODY_LENGTH || this.state === CHUNK_DATA ||
          this.state === BODY_EOF || this.state === UPGRADED) {
        return offset;
      }
    }
    return offset;
  }

  onLine(line) {
    switch (this.state) {
      case START:
        if (line === '') {
          // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the
          // request line.
          return;
        }
        this.startMessage(line);
        return;
      case HEADERS:
        if (line === '') {
          this.headersDone();
          return;
        }
        this.addHeader(line, this.info.rawHeaders);
        return;
      case TRAILERS:
        if (line === '') {
          this.completeMessage(this.trailers);
          return;
        }
        this.addHeader(line, this.trailers);
        return;
      case CHUNK_SIZE: {
        // chunk-size [ chunk-ext ] (§7.1.1); extensions are ignored.
        const semicolon = StringPrototypeIndexOf(line, ';');
        const text = StringPrototypeTrim(semicolon === -1 ? line : StringPrototypeSlice(line, 0, semicolon));
        if (text.length === 0 || text.length > 13 || RegExpPrototypeExec(/^[0-9a-fA-F]+$/, text) === null) {
          this.fail('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
          return;
        }
        const size = NumberParseInt(text, 16);
        if (size === 0) {
          this.state = TRAILERS;
          this.trailers = [];
          this.headerBytes = 0;
        } else {
          this.remaining = size;
          this.state = CHUNK_DATA;
        }
        return;
      }
      case CHUNK_DATA_END:
        if (line !== '') {
          this.fail('HPE_STRICT', 'Expected LF after chunk data');
          return;
        }
        this.state = CHUNK_SIZE;
        return;
      default:
    }
  }

  startMessage(line) {
    let match;
    this.info = {
      method: undefined, url: undefined, versionMajor: 1, versionMinor: 1, rawHeaders: [],
      statusCode: undefined, statusMessage: undefined, shouldKeepAlive: true, upgrade: false,
    };
    if (this.kind === REQUEST) {
      match = RegExpPrototypeExec(requestLineRegExp, line);
      if (match === null) {
        if (RegExpPrototypeExec(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ /, line) === null) {
          this.fail('HPE_INVALID_METHOD', 'Invalid method encountered');
        } else {
          this.fail('HPE_INVALID_URL', 'Invalid URL or version');
        }
        return;
      }
      this.info.method = match[1];
      this.info.url = match[2];
      this.info.versionMajor = +match[3];
      this.info.versionMinor = +match[4];
    } else {
      match = RegExpPrototypeExec(statusLineRegExp, line);
      if (match === null) {
        this.fail('HPE_INVALID_STATUS', 'Invalid status line');
        return;
      }
      this.info.versionMajor = +match[1];
      this.info.versionMinor = +match[2];
      this.info.statusCode = +match[3];
      this.info.statusMessage = match[4] ?? '';
    }
    if (this.info.versionMajor !== 1 || this.info.versionMinor > 1) {
      this.fail('HPE_INVALID_VERSION', 'Invalid HTTP version');
      return;
    }
    this.state = HEADERS;
  }

  addHeader(line, target) {
    const first = StringPrototypeCharCodeAt(line, 0);
    if (first === 32 || first === 9) {
      this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char'); // obs-fold
      return;
    }
    const colon = StringPrototypeIndexOf(line, ':');
    if (colon <= 0) {
      this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
      return;
    }
    const name = StringPrototypeSlice(line, 0, colon);
    if (RegExpPrototypeExec(tokenRegExp, name) === null) {
      this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
      return;
    }
    const value = StringPrototypeTrim(StringPrototypeSlice(line, colon + 1));
    if (RegExpPrototypeExec(invalidValueRegExp, value) !== null) {
      this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
      return;
    }
    ArrayPrototypePush(target, name, value);
  }

  headersDone() {
    const info = this.info;
    const raw = info.rawHeaders;
    let contentLength = -1;
    let chunked = false;
    let hasTransferEncoding = false;
    let connection = '';
    for (let i = 0; i < raw.length; i += 2) {
      const name = StringPrototypeToLowerCase(raw[i]);
      const value = raw[i + 1];
      if (name === 'content-length') {
        if (RegExpPrototypeExec(/^\d{1,15}$/, value) === null) {
          this.fail('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
          return;
        }
        const parsed = +value;
        if (contentLength !== -1 && contentLength !== parsed) {
          this.fail('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length');
          return;
        }
        contentLength = parsed;
      } else if (name === 'transfer-encoding') {
        hasTransferEncoding = true;
        const codings = StringPrototypeToLowerCase(value);
        // chunked must be the final coding (RFC 9112 §6.1).
        chunked = RegExpPrototypeExec(/(?:^|,)\s*chunked\s*$/, codings) !== null;
        if (!chunked && RegExpPrototypeExec(/(?:^|,)\s*chunked\s*(?:,|$)/, codings) !== null) {
          this.fail('HPE_INVALID_TRANSFER_ENCODING', 'Invalid `Transfer-Encoding` header value');
          return;
        }
      } else if (name === 'connection') {
        connection += `${StringPrototypeToLowerCase(value)},`;
      }
    }
    if (hasTransferEncoding && contentLength !== -1) {
      this.fail('HPE_UNEXPECTED_CONTENT_LENGTH', 'Content-Length can\'t be present with Transfer-Encoding');
      return;
    }
    if (this.kind === REQUEST && hasTransferEncoding && !chunked) {
      this.fail('HPE_INVALID_TRANSFER_ENCODING', 'Request has invalid `Transfer-Encoding`');
      return;
    }
    const tokens = connection;
    const hasClose = RegExpPrototypeExec(/(?:^|[,\s])close\s*,/, tokens) !== null;
    const hasKeepAlive = RegExpPrototypeExec(/(?:^|[,\s])keep-alive\s*,/, tokens) !== null;
    if (info.versionMinor === 0) info.shouldKeepAlive = hasKeepAlive && !hasClose;
    else info.shouldKeepAlive = !hasClose;
    info.upgrade = this.kind === REQUEST && info.method === 'CONNECT';

    this.headerBytes = 0;
    this.messages++;
    const skipBody = this.handler.onHeaders(info) === true;
    if (this.state === FAILED) return;

    const status = info.statusCode;
    const noBody = skipBody || (this.kind === RESPONSE &&
      ((status >= 100 && status < 200) || status === 204 || status === 304));
    if (this.kind === RESPONSE && status >= 100 && status < 200 && status !== 101) {
      // An interim response: the real one follows on the same connection.
      this.state = START;
      this.info = null;
      return;
    }
    if (info.upgrade) {
      this.state = UPGRADED;
      return;
    }
    if (noBody) {
      this.completeMessage(null);
    } else if (chunked) {
      this.state = CHUNK_SIZE;
    } else if (contentLength > 0) {
      this.remaining = contentLength;
      this.state = BODY_LENGTH;
    } else if (contentLength === 0 || this.kind === REQUEST) {
      this.completeMessage(null);
    } else {
      // A response without length reads until the connection closes.
      info.shouldKeepAlive = false;
      this.state = BODY_EOF;
    }
  }

  completeMessage(trailers) {
    this.state = START;
    this.info = null;
    this.trailers = null;
    this.headerBytes = 0;
    this.handler.onMessageComplete(trailers || []);
  }

  // Whether a message is partly parsed (for the server's "incomplete request" checks).
  get idle() {
    return this.state === START && this.pending.length === 0;
  }
}

module.exports = { HTTPParser, REQUEST, RESPONSE, kDefaultMaxHeaderSize, tokenRegExp, invalidValueRegExp };
