'use strict';

// http.Server and http.ServerResponse. One parser per connection; pipelined requests
// are answered in order (a response waits in memory until the ones before it have
// finished); keep-alive with keepAliveTimeout; a request the parser rejects gets 400
// (431 for a header section over maxHeaderSize, 413 for too many chunk extensions) and
// the connection is closed, unless a 'clientError' listener decides.

const {
  ArrayPrototypePush, ArrayPrototypeShift, ObjectKeys, ObjectSetPrototypeOf, RegExpPrototypeExec, Set,
  SetPrototypeAdd, SetPrototypeDelete, Symbol, SymbolAsyncDispose, ArrayIsArray, TypedArrayPrototypeSubarray,
} = primordials;
const net = require('net');
const EE = require('events');
const {
  HTTPParser, REQUEST, checkInvalidHeaderChar, kDefaultMaxHeaderSize, kSkipBody, parserError,
} = require('_http_common');
const { OutgoingMessage, kOutHeaders } = require('_http_outgoing');
const { IncomingMessage, readStop, readStart } = require('_http_incoming');
const { codes } = require('internal/net/errors');
const { ERR_HTTP_HEADERS_SENT, ERR_HTTP_INVALID_STATUS_CODE, ERR_INVALID_CHAR } = codes;

const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
  418: 'I\'m a Teapot', 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
  424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 509: 'Bandwidth Limit Exceeded', 510: 'Not Extended',
  511: 'Network Authentication Required',
};

const kConnectionState = Symbol('kConnectionState');
const kServerConnections = Symbol('kServerConnections');
const chunkExpression = /(?:^|\W)chunked(?:$|\W)/i;

function ServerResponse(req, options) {
  OutgoingMessage.call(this, options);
  if (req.method === 'HEAD') this._hasBody = false;
  this.req = req;
  this.sendDate = true;
  this._sent100 = false;
  this._expect_continue = false;
  this.statusCode = 200;
  this.statusMessage = undefined;
  if (req.httpVersionMajor < 1 || req.httpVersionMinor < 1) {
    this.useChunkedEncodingByDefault = RegExpPrototypeExec(chunkExpression, req.headers.te || '') !== null;
    this.shouldKeepAlive = false;
  }
}
ObjectSetPrototypeOf(ServerResponse.prototype, OutgoingMessage.prototype);
ObjectSetPrototypeOf(ServerResponse, OutgoingMessage);

ServerResponse.prototype._finish = function _finish() {
  OutgoingMessage.prototype._finish.call(this);
};

function onServerResponseClose() {
  const res = this._httpMessage;
  if (res) {
    res._closed = true;
    res.destroyed = true;
    res.emit('close');
  }
}

ServerResponse.prototype.assignSocket = function assignSocket(socket) {
  socket._httpMessage = this;
  socket.on('close', onServerResponseClose);
  this.socket = socket;
  this.emit('socket', socket);
  this._flush();
};

ServerResponse.prototype.detachSocket = function detachSocket(socket) {
  socket.removeListener('close', onServerResponseClose);
  socket._httpMessage = null;
  this.socket = null;
};

ServerResponse.prototype.writeContinue = function writeContinue(cb) {
  this._writeRaw('HTTP/1.1 100 Continue\r\n\r\n', 'ascii', cb);
  this._sent100 = true;
};

ServerResponse.prototype.writeProcessing = function writeProcessing(cb) {
  this._writeRaw('HTTP/1.1 102 Processing\r\n\r\n', 'ascii', cb);
};

ServerResponse.prototype._implicitHeader = function _implicitHeader() {
  this.writeHead(this.statusCode);
};

ServerResponse.prototype.writeHead = function writeHead(statusCode, reason, obj) {
  if (this._header) throw ERR_HTTP_HEADERS_SENT('write');
  const originalStatusCode = statusCode;
  statusCode |= 0;
  if (statusCode < 100 || statusCode > 999) throw ERR_HTTP_INVALID_STATUS_CODE(originalStatusCode);
  if (typeof reason === 'string') {
    this.statusMessage = reason;
  } else {
    this.statusMessage ||= STATUS_CODES[statusCode] || 'unknown';
    obj ??= reason;
  }
  this.statusCode = statusCode;
  let headers;
  if (this[kOutHeaders]) {
    if (ArrayIsArray(obj)) {
      if (obj.length && ArrayIsArray(obj[0])) {
        for (let n = 0; n < obj.length; n++) this.appendHeader(obj[n][0], obj[n][1]);
      } else {
        for (let n = 0; n < obj.length; n += 2) this.appendHeader(obj[n], obj[n + 1]);
      }
    } else if (obj) {
      const keys = ObjectKeys(obj);
      for (let i = 0; i < keys.length; i++) {
        if (keys[i]) this.setHeader(keys[i], obj[keys[i]]);
      }
    }
    headers = this[kOutHeaders];
  } else {
    headers = obj;
  }
  if (checkInvalidHeaderChar(this.statusMessage)) throw ERR_INVALID_CHAR('statusMessage');
  const statusLine = `HTTP/1.1 ${statusCode} ${this.statusMessage}\r\n`;
  if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode <= 199)) this._hasBody = false;
  if (this._expect_continue && !this._sent100) this.shouldKeepAlive = false;
  this._storeHeader(statusLine, headers);
  return this;
};
ServerResponse.prototype.writeHeader = ServerResponse.prototype.writeHead;

function Server(options, requestListener) {
  if (!(this instanceof Server)) return new Server(options, requestListener);
  if (typeof options === 'function') {
    requestListener = options;
    options = {};
  } else if (options == null) {
    options = {};
  }
  this.maxHeaderSize = options.maxHeaderSize ?? kDefaultMaxHeaderSize;
  this.insecureHTTPParser = false;
  this.requestTimeout = options.requestTimeout ?? 300000;
  this.headersTimeout = options.headersTimeout ?? 60000;
  this.keepAliveTimeout = options.keepAliveTimeout ?? 5000;
  this.joinDuplicateHeaders = !!options.joinDuplicateHeaders;
  this.requireHostHeader = options.requireHostHeader ?? true;
  this[kServerConnections] = new Set();
  net.Server.call(this, {
    allowHalfOpen: true,
    noDelay: options.noDelay ?? true,
    keepAlive: options.keepAlive,
    keepAliveInitialDelay: options.keepAliveInitialDelay,
    highWaterMark: options.highWaterMark,
  });
  if (requestListener) this.on('request', requestListener);
  this.httpAllowHalfOpen = false;
  this.on('connection', connectionListener);
  this.timeout = 0;
  this.maxHeadersCount = null;
  this.maxRequestsPerSocket = 0;
}
ObjectSetPrototypeOf(Server.prototype, net.Server.prototype);
ObjectSetPrototypeOf(Server, net.Server);

Server.prototype.close = function close(cb) {
  this.closeIdleConnections();
  return net.Server.prototype.close.call(this, cb);
};

Server.prototype[SymbolAsyncDispose] = function asyncDispose() {
  return new primordials.Promise((resolve, reject) => {
    if (!this.listening) {
      resolve();
      return;
    }
    this.close((err) => (err ? reject(err) : resolve()));
  });
};

Server.prototype.closeAllConnections = function closeAllConnections() {
  for (const socket of this[kServerConnections]) socket.destroy();
};

Server.prototype.closeIdleConnections = function closeIdleConnections() {
  for (const socket of this[kServerConnections]) {
    const state = socket[kConnectionState];
    if (state && !socket._httpMessage && state.parser.isIdle() && state.outgoing.length === 0) socket.destroy();
  }
};

Server.prototype.setTimeout = function setTimeout(msecs, callback) {
  this.timeout = msecs;
  if (callback) this.on('timeout', callback);
  return this;
};

function connectionListener(socket) {
  const server = this;
  if (server.timeout && typeof socket.setTimeout === 'function') socket.setTimeout(server.timeout);
  socket.on('timeout', socketOnTimeout);

  const state = {
    parser: null,
    incoming: [],
    outgoing: [],
    current: null,
    keepAliveTimeoutSet: false,
    requestsCount: 0,
  };
  socket[kConnectionState] = state;
  SetPrototypeAdd(server[kServerConnections], socket);

  state.parser = new HTTPParser(REQUEST, server.maxHeaderSize,
    (versionMajor, versionMinor, rawHeaders, method, url, statusCode, statusMessage, upgrade, shouldKeepAlive) =>
      parserOnHeaders(server, socket, state, versionMajor, versionMinor, rawHeaders, method, url, shouldKeepAlive),
    (buffer, start, end) => {
      const req = state.current;
      if (req === null || req._dumped) return;
      if (!req.push(TypedArrayPrototypeSubarray(buffer, start, end))) readStop(socket);
    },
    (rawTrailers) => {
      const req = state.current;
      if (req === null) return;
      state.current = null;
      req.complete = true;
      if (rawTrailers !== undefined) req.rawTrailers = rawTrailers;
      req.push(null);
    });

  socket.on('data', (data) => socketOnData(server, socket, state, data));
  socket.on('end', () => socketOnEnd(server, socket, state));
  socket.on('close', () => {
    SetPrototypeDelete(server[kServerConnections], socket);
    abortIncoming(state);
    state.parser.close();
  });
  socket.on('error', socketOnError);
  socket.on('drain', () => {
    const msg = socket._httpMessage;
    if (msg && !msg.finished && msg.writableNeedDrain) {
      msg[require('_http_outgoing').kNeedDrain] = false;
      msg.emit('drain');
    }
  });
  socket._paused = false;
}

// The parser read a request's head. Returns kSkipBody for a request that is not served.
function parserOnHeaders(server, socket, state, versionMajor, versionMinor, rawHeaders, method, url,
  shouldKeepAlive) {
  const req = new IncomingMessage(socket);
  req.httpVersionMajor = versionMajor;
  req.httpVersionMinor = versionMinor;
  req.httpVersion = `${versionMajor}.${versionMinor}`;
  req.rawHeaders = rawHeaders;
  req.method = method;
  req.url = url;
  // There is no 'upgrade' event: as Node without a listener, only CONNECT is one (the
  // parser ends HTTP after it); other upgrade requests are served as plain requests.
  req.upgrade = method === 'CONNECT';
  req.joinDuplicateHeaders = server.joinDuplicateHeaders;
  state.current = req;
  ArrayPrototypePush(state.incoming, req);
  state.requestsCount++;

  if (state.keepAliveTimeoutSet) {
    socket.setTimeout(server.timeout || 0);
    state.keepAliveTimeoutSet = false;
  }

  if (req.upgrade) {
    // CONNECT is not supported: answered and closed.
    socket.end('HTTP/1.1 501 Not Implemented\r\nConnection: close\r\n\r\n');
    return kSkipBody;
  }

  const res = new ServerResponse(req, { highWaterMark: socket.writableHighWaterMark });
  res._keepAliveTimeout = server.keepAliveTimeout;
  res.shouldKeepAlive = shouldKeepAlive && res.shouldKeepAlive;
  if (server.maxRequestsPerSocket > 0 && state.requestsCount >= server.maxRequestsPerSocket) {
    res.maxRequestsOnConnectionReached = true;
  }
  if (socket._httpMessage) ArrayPrototypePush(state.outgoing, res);
  else res.assignSocket(socket);

  res.on('finish', () => resOnFinish(req, res, socket, state, server));

  // RFC 9112 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host.
  if (versionMajor === 1 && versionMinor === 1 && server.requireHostHeader && req.headers.host === undefined) {
    res.writeHead(400, ['Connection', 'close']);
    res.end();
    return 0;
  }

  const expect = req.headers.expect;
  if (expect !== undefined && versionMajor === 1 && versionMinor === 1) {
    if (RegExpPrototypeExec(/^100-continue$/i, expect) !== null) {
      res._expect_continue = true;
      if (server.listenerCount('checkContinue') > 0) {
        server.emit('checkContinue', req, res);
      } else {
        res.writeContinue();
        server.emit('request', req, res);
      }
    } else if (server.listenerCount('checkExpectation') > 0) {
      server.emit('checkExpectation', req, res);
    } else {
      res.writeHead(417);
      res.end();
    }
  } else {
    server.emit('request', req, res);
  }
  return 0;
}

function resOnFinish(req, res, socket, state, server) {
  const index = state.incoming.indexOf(req);
  if (index !== -1) primordials.ArrayPrototypeSplice(state.incoming, index, 1);
  // An unread body is drained so the next pipelined request can be parsed.
  if (!req._consuming && !req._readableState.resumeScheduled) req._dump();
  res.detachSocket(socket);
  process.nextTick(() => {
    if (!req.destroyed && req.readableEnded) req.destroy();
    res.emit('close');
  });
  if (res._last) {
    if (typeof socket.destroySoon === 'function') socket.destroySoon();
    else socket.end();
  } else if (state.outgoing.length === 0) {
    if (server.keepAliveTimeout && typeof socket.setTimeout === 'function') {
      socket.setTimeout(server.keepAliveTimeout);
      state.keepAliveTimeoutSet = true;
    }
  } else {
    const next = ArrayPrototypeShift(state.outgoing);
    next.assignSocket(socket);
  }
}

function socketOnData(server, socket, state, data) {
  if (state.parser.execute(data) === -1) {
    socket.removeAllListeners('data');
    socketOnError.call(socket, parserError(state.parser));
  }
}

function socketOnEnd(server, socket, state) {
  if (state.parser.finish() === -1) {
    socketOnError.call(socket, parserError(state.parser));
    return;
  }
  if (!server.httpAllowHalfOpen) {
    abortIncoming(state);
    if (socket.writable) {
      // Responses already started go out first; the FIN follows them.
      if (socket._httpMessage) socket._httpMessage._last = true;
      else socket.end();
    }
  } else if (state.outgoing.length) {
    state.outgoing[state.outgoing.length - 1]._last = true;
  } else if (socket._httpMessage) {
    socket._httpMessage._last = true;
  } else if (socket.writable) {
    socket.end();
  }
}

function abortIncoming(state) {
  const incoming = state.incoming;
  state.incoming = [];
  for (let i = 0; i < incoming.length; i++) {
    const req = incoming[i];
    if (!req.complete) req.destroy(require('internal/net/errors').connResetException('aborted'));
  }
}

function socketOnTimeout() {
  const state = this[kConnectionState];
  const req = state?.current;
  const reqTimeout = req && !req.complete && req.emit('timeout', this);
  const res = this._httpMessage;
  const resTimeout = res && res.emit('timeout', this);
  const serverTimeout = !state?.keepAliveTimeoutSet && this.server.emit('timeout', this);
  if (!reqTimeout && !resTimeout && !serverTimeout) this.destroy();
}

const badRequestResponse = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
const requestHeaderFieldsTooLargeResponse = 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n';
const payloadTooLargeResponse = 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n';

// Node's answers to a request the parser rejected.
function responseForParseError(code) {
  if (code === 'HPE_HEADER_OVERFLOW') return requestHeaderFieldsTooLargeResponse;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return payloadTooLargeResponse;
  return badRequestResponse;
}

function socketOnError(e) {
  this.removeListener('error', socketOnError);
  if (this.listenerCount('error') === 0) this.on('error', () => {});
  const server = this.server;
  if (!server.emit('clientError', e, this)) {
    if (this.writable && this.bytesWritten === 0 && !this._httpMessage?.headersSent) {
      const response = responseForParseError(e.code);
      // FIN after the response rather than an immediate close, so that unread request
      // bytes do not turn the close into a reset that could overtake the response.
      this.end(response);
      this.removeAllListeners('data');
      this.resume();
      const timer = setTimeout(() => this.destroy(), 1000);
      timer.unref();
      this.once('close', () => clearTimeout(timer));
      this.once('end', () => this.destroy());
      return;
    }
    this.destroy(e);
  }
}

function createServer(opts, requestListener) {
  return new Server(opts, requestListener);
}

module.exports = { STATUS_CODES, Server, ServerResponse, createServer, _connectionListener: connectionListener };
