'use strict';

// http.ClientRequest: a request written through OutgoingMessage on a socket from the
// agent (or a new connection), and its response parsed into an IncomingMessage. A
// socket whose response ended with keep-alive goes back to the agent ('free').

const {
  ArrayIsArray, NumberIsFinite, ObjectAssign, ObjectKeys, ObjectSetPrototypeOf, RegExpPrototypeExec,
  StringPrototypeCharCodeAt, StringPrototypeIncludes, StringPrototypeIndexOf, StringPrototypeToUpperCase, Symbol,
  TypedArrayPrototypeSubarray,
} = primordials;
const net = require('net');
const { Buffer } = require('buffer');
const {
  HTTPParser, RESPONSE, checkIsHttpToken, kDefaultMaxHeaderSize, kSkipBody, parserError,
} = require('_http_common');
const { OutgoingMessage, kOutHeaders } = require('_http_outgoing');
const { IncomingMessage } = require('_http_incoming');
const { Agent, globalAgent } = require('_http_agent');
const { codes, connResetException } = require('internal/net/errors');
const {
  ERR_HTTP_HEADERS_SENT, ERR_INVALID_ARG_TYPE, ERR_INVALID_HTTP_TOKEN, ERR_INVALID_PROTOCOL,
  ERR_UNESCAPED_CHARACTERS,
} = codes;
const { eos: finished, makeAbortError } = require('internal/streams/utils');

const INVALID_PATH_REGEX = /[^\u0021-\u00ff]/;
const kError = Symbol('kError');

function validateHost(host, name) {
  if (host !== null && host !== undefined && typeof host !== 'string') {
    throw ERR_INVALID_ARG_TYPE(`options.${name}`, ['string', 'undefined', 'null'], host);
  }
  return host;
}

function urlToHttpOptions(url) {
  const options = {
    protocol: url.protocol,
    hostname: typeof url.hostname === 'string' && url.hostname.startsWith('[') ? url.hostname.slice(1, -1)
      : url.hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: `${url.pathname || ''}${url.search || ''}`,
    href: url.href,
  };
  if (url.port !== '') options.port = Number(url.port);
  if (url.username || url.password) {
    options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  return options;
}

function ClientRequest(input, options, cb) {
  OutgoingMessage.call(this);
  if (typeof input === 'string') {
    input = urlToHttpOptions(new URL(input));
  } else if (input instanceof URL) {
    input = urlToHttpOptions(input);
  } else {
    cb = options;
    options = input;
    input = null;
  }
  if (typeof options === 'function') {
    cb = options;
    options = input || {};
  } else {
    options = ObjectAssign(input || {}, options);
  }

  let agent = options.agent;
  const defaultAgent = options._defaultAgent || globalAgent;
  if (agent === false) {
    agent = new defaultAgent.constructor();
  } else if (agent === null || agent === undefined) {
    if (typeof options.createConnection !== 'function') agent = defaultAgent;
    options._defaultAgent = defaultAgent;
  } else if (typeof agent.addRequest !== 'function') {
    throw ERR_INVALID_ARG_TYPE('options.agent', ['Agent-like Object', 'undefined', 'false'], agent);
  }
  this.agent = agent;

  const protocol = options.protocol || defaultAgent.protocol;
  let expectedProtocol = defaultAgent.protocol;
  if (this.agent?.protocol) expectedProtocol = this.agent.protocol;
  if (protocol !== expectedProtocol) throw ERR_INVALID_PROTOCOL(protocol, expectedProtocol);

  const defaultPort = options.defaultPort || (this.agent?.defaultPort);
  const port = options.port = options.port || defaultPort || 80;
  const host = options.host = validateHost(options.hostname, 'hostname') || validateHost(options.host, 'host') ||
    'localhost';
  const setHost = options.setHost === undefined || Boolean(options.setHost);
  if (options.socketPath) throw codes.ERR_NOT_IMPLEMENTED('Unix domain sockets');
  if (options.timeout !== undefined) this.timeout = options.timeout;
  if (options.signal) {
    const signal = options.signal;
    const onAbort = () => this.destroy(makeAbortError());
    if (signal.aborted) process.nextTick(onAbort);
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      this.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }

  let method = options.method;
  const methodIsString = typeof method === 'string';
  if (method !== null && method !== undefined && !methodIsString) {
    throw ERR_INVALID_ARG_TYPE('options.method', 'string', method);
  }
  if (methodIsString && method) {
    if (!checkIsHttpToken(method)) throw ERR_INVALID_HTTP_TOKEN('Method', method);
    method = this.method = StringPrototypeToUpperCase(method);
  } else {
    method = this.method = 'GET';
  }
  this.maxHeaderSize = options.maxHeaderSize;
  this.path = options.path || '/';
  if (RegExpPrototypeExec(INVALID_PATH_REGEX, this.path) !== null) throw ERR_UNESCAPED_CHARACTERS('Request path');
  if (cb) this.once('response', cb);

  this.useChunkedEncodingByDefault = !(method === 'GET' || method === 'HEAD' || method === 'DELETE' ||
    method === 'OPTIONS' || method === 'TRACE' || method === 'CONNECT');
  this._ended = false;
  this.res = null;
  this.aborted = false;
  this.timeoutCb = null;
  this.upgradeOrConnect = false;
  this.parser = null;
  this.maxHeadersCount = null;
  this.reusedSocket = false;
  this.host = host;
  this.protocol = protocol;

  if (this.agent) {
    if (!this.agent.keepAlive && !NumberIsFinite(this.agent.maxSockets)) {
      this._last = true;
      this.shouldKeepAlive = false;
    } else {
      this._last = false;
      this.shouldKeepAlive = true;
    }
  }

  const headersArray = ArrayIsArray(options.headers);
  if (!headersArray) {
    if (options.headers) {
      const keys = ObjectKeys(options.headers);
      for (let i = 0; i < keys.length; i++) this.setHeader(keys[i], options.headers[keys[i]]);
    }
    if (host && !this.getHeader('host') && setHost) {
      let hostHeader = host;
      const posColon = StringPrototypeIndexOf(hostHeader, ':');
      if (posColon !== -1 && StringPrototypeIncludes(hostHeader, ':', posColon + 1) &&
          StringPrototypeCharCodeAt(hostHeader, 0) !== 91) {
        hostHeader = `[${hostHeader}]`;
      }
      if (port && +port !== defaultPort) hostHeader += `:${port}`;
      this.setHeader('Host', hostHeader);
    }
    if (options.auth && !this.getHeader('Authorization')) {
      this.setHeader('Authorization', `Basic ${Buffer.from(options.auth).toString('base64')}`);
    }
    if (this.getHeader('expect')) {
      if (this._header) throw ERR_HTTP_HEADERS_SENT('render');
      this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, this[kOutHeaders]);
    }
  } else {
    this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, options.headers);
  }

  const optsWithoutSignal = { __proto__: null, ...options };
  delete optsWithoutSignal.signal;
  if (this.agent) {
    this.agent.addRequest(this, optsWithoutSignal);
  } else {
    this._last = true;
    this.shouldKeepAlive = false;
    if (typeof optsWithoutSignal.createConnection === 'function') {
      let called = false;
      const oncreate = (err, socket) => {
        if (called) return;
        called = true;
        if (err) process.nextTick(() => this.emit('error', err));
        this.onSocket(socket, err);
      };
      const newSocket = optsWithoutSignal.createConnection(optsWithoutSignal, oncreate);
      if (newSocket) oncreate(null, newSocket);
    } else {
      this.onSocket(net.createConnection(optsWithoutSignal));
    }
  }
}
ObjectSetPrototypeOf(ClientRequest.prototype, OutgoingMessage.prototype);
ObjectSetPrototypeOf(ClientRequest, OutgoingMessage);

ClientRequest.prototype._finish = function _finish() {
  OutgoingMessage.prototype._finish.call(this);
};

ClientRequest.prototype._implicitHeader = function _implicitHeader() {
  if (this._header) throw ERR_HTTP_HEADERS_SENT('render');
  this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, this[kOutHeaders]);
};

ClientRequest.prototype.abort = function abort() {
  if (this.aborted) return;
  this.aborted = true;
  process.nextTick(() => this.emit('abort'));
  this.destroy();
};

ClientRequest.prototype.destroy = function destroy(err) {
  if (this.destroyed) return this;
  this.destroyed = true;
  if (this.res) this.res._dump();
  this[kError] = err;
  this.socket?.destroy(err);
  return this;
};

function emitErrorEvent(request, error) {
  request.emit('error', error);
}

function socketCloseListener() {
  const socket = this;
  const req = socket._httpMessage;
  if (!req) return;
  const res = req.res;
  req.destroyed = true;
  if (res) {
    if (!res.complete) res.destroy(connResetException('aborted'));
    req._closed = true;
    req.emit('close');
    if (!res.aborted && res.readable) res.push(null);
  } else {
    if (!req.socket._hadError) {
      req.socket._hadError = true;
      emitErrorEvent(req, req[kError] ?? connResetException('socket hang up'));
    }
    req._closed = true;
    req.emit('close');
  }
  if (req.outputData) req.outputData.length = 0;
  if (req.parser) {
    req.parser.finish();
    freeParser(req);
  }
}

function freeParser(req) {
  req.parser.close();
  req.parser = null;
}

function socketErrorListener(err) {
  const socket = this;
  const req = socket._httpMessage;
  if (req) {
    req.socket._hadError = true;
    emitErrorEvent(req, err);
  }
  socket.removeListener('data', socketOnData);
  socket.removeListener('end', socketOnEnd);
  socket.destroy();
}

function socketOnEnd() {
  const socket = this;
  const req = this._httpMessage;
  // Completes a body that runs to the end of the connection; a body cut short is
  // aborted when the socket closes (socketCloseListener).
  req?.parser?.finish();
  if (req && !req.res && !req.socket._hadError) {
    req.socket._hadError = true;
    emitErrorEvent(req, connResetException('socket hang up'));
  }
  socket.destroy();
}

function socketOnData(d) {
  const socket = this;
  const req = this._httpMessage;
  const parser = req?.parser;
  if (!parser) return;
  if (parser.execute(d) === -1) {
    const error = parserError(parser);
    socket.removeListener('data', socketOnData);
    socket.removeListener('end', socketOnEnd);
    freeParser(req);
    socket.destroy();
    req.socket._hadError = true;
    emitErrorEvent(req, error);
  }
}

// The parser read a response's head. Returns kSkipBody when it has no body to read.
function parserOnIncomingClient(req, socket, versionMajor, versionMinor, rawHeaders, statusCode, statusMessage,
  shouldKeepAlive) {
  if (req.res) {
    // A second response on a connection that carried one request.
    socket.destroy();
    return kSkipBody;
  }
  if (statusCode === 101) {
    // The parser ends HTTP after a 101; without 'upgrade' support the connection is
    // useless, so it is closed, as Node does when nobody listens for 'upgrade'.
    socket.destroy();
    return kSkipBody;
  }
  const res = new IncomingMessage(socket);
  res.httpVersionMajor = versionMajor;
  res.httpVersionMinor = versionMinor;
  res.httpVersion = `${versionMajor}.${versionMinor}`;
  res.rawHeaders = rawHeaders;
  res.statusCode = statusCode;
  res.statusMessage = statusMessage;
  if (statusCode >= 100 && statusCode < 200) {
    if (res.statusCode === 100) req.emit('continue');
    req.emit('information', {
      statusCode: res.statusCode, statusMessage: res.statusMessage, httpVersion: res.httpVersion,
      httpVersionMajor: res.httpVersionMajor, httpVersionMinor: res.httpVersionMinor, headers: res.headers,
      rawHeaders: res.rawHeaders,
    });
    return kSkipBody;
  }
  if (req.shouldKeepAlive && !shouldKeepAlive) req.shouldKeepAlive = false;
  req.res = res;
  res.req = req;
  req.currentResponse = res;
  res.on('end', responseOnEnd);
  req.on('finish', requestOnFinish);
  socket.on('timeout', responseOnTimeout);
  if (req.aborted || !req.emit('response', res)) res._dump();
  return req.method === 'HEAD' ? kSkipBody : 0;
}

function responseKeepAlive(req) {
  const socket = req.socket;
  socket.removeListener('close', socketCloseListener);
  socket.removeListener('error', socketErrorListener);
  socket.removeListener('data', socketOnData);
  socket.removeListener('end', socketOnEnd);
  socket.removeListener('drain', ondrain);
  socket.removeListener('timeout', responseOnTimeout);
  // The agent watches the free socket for errors (freeSocketErrorListener) and removes
  // its listener when it hands the socket out again; adding one here per response
  // leaked a listener per reuse.
  freeParser(req);
  socket.emit('free');
  req.destroyed = true;
  if (req.res) process.nextTick(() => req.emit('close'));
}

function responseOnEnd() {
  const req = this.req;
  const socket = req.socket;
  if (socket && req.timeoutCb) socket.removeListener('timeout', emitRequestTimeout);
  req._ended = true;
  if (!req.shouldKeepAlive) {
    if (socket.writable) {
      if (typeof socket.destroySoon === 'function') socket.destroySoon();
      else socket.end();
    }
  } else if (req.writableFinished && !this.aborted) {
    responseKeepAlive(req);
  }
}

function responseOnTimeout() {
  const req = this._httpMessage;
  if (!req) return;
  const res = req.res;
  if (!res) return;
  res.emit('timeout');
}

function requestOnFinish() {
  if (this.shouldKeepAlive && this._ended) responseKeepAlive(this);
}

function emitRequestTimeout() {
  const req = this._httpMessage;
  if (req) req.emit('timeout');
}

function ondrain() {
  const msg = this._httpMessage;
  if (msg && !msg.finished && msg.writableNeedDrain) {
    msg[require('_http_outgoing').kNeedDrain] = false;
    msg.emit('drain');
  }
}

function tickOnSocket(req, socket) {
  const parser = new HTTPParser(RESPONSE, req.maxHeaderSize ?? kDefaultMaxHeaderSize,
    (versionMajor, versionMinor, rawHeaders, method, url, statusCode, statusMessage, upgrade, shouldKeepAlive) =>
      parserOnIncomingClient(req, socket, versionMajor, versionMinor, rawHeaders, statusCode, statusMessage,
        shouldKeepAlive),
    (buffer, start, end) => {
      const res = req.res;
      if (res && !res._dumped && !res.push(TypedArrayPrototypeSubarray(buffer, start, end))) socket.pause();
    },
    (rawTrailers) => {
      const res = req.res;
      if (!res) return;
      res.complete = true;
      if (rawTrailers !== undefined) res.rawTrailers = rawTrailers;
      res.push(null);
    });
  req.socket = socket;
  req.parser = parser;
  socket._httpMessage = req;
  socket.on('error', socketErrorListener);
  socket.on('data', socketOnData);
  socket.on('end', socketOnEnd);
  socket.on('close', socketCloseListener);
  socket.on('drain', ondrain);
  if (req.timeout !== undefined || (req.agent && req.agent.options && req.agent.options.timeout)) {
    listenSocketTimeout(req);
  }
  req.emit('socket', socket);
}

function listenSocketTimeout(req) {
  if (req.timeoutCb) return;
  req.timeoutCb = emitRequestTimeout;
  if (req.socket) req.socket.once('timeout', emitRequestTimeout);
  else req.on('socket', (socket) => socket.once('timeout', emitRequestTimeout));
}

ClientRequest.prototype.onSocket = function onSocket(socket, err) {
  process.nextTick(onSocketNT, this, socket, err);
};

function onSocketNT(req, socket, err) {
  if (req.destroyed || err) {
    req.destroyed = true;
    if (!err && req.agent && socket && !socket.destroyed) {
      socket.emit('free');
    } else if (socket) {
      finished(socket.destroy(err || req[kError]), (er) => {
        if (er?.code === 'ERR_STREAM_PREMATURE_CLOSE') er = null;
        destroyRequest(req, er || err);
      });
      return;
    }
    destroyRequest(req, err || req[kError]);
  } else {
    tickOnSocket(req, socket);
    req._flush();
  }
}

function destroyRequest(req, err) {
  if (!req.aborted && !err) err = connResetException('socket hang up');
  if (err) emitErrorEvent(req, err);
  req._closed = true;
  req.emit('close');
}

ClientRequest.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (this._ended) return this;
  listenSocketTimeout(this);
  if (callback) this.once('timeout', callback);
  if (this.socket) this.socket.setTimeout(msecs);
  else this.once('socket', (sock) => sock.setTimeout(msecs));
  return this;
};

ClientRequest.prototype.setNoDelay = function setNoDelay(noDelay) {
  if (this.socket) this.socket.setNoDelay(noDelay);
  else this.once('socket', (sock) => sock.setNoDelay(noDelay));
};

ClientRequest.prototype.setSocketKeepAlive = function setSocketKeepAlive(enable, initialDelay) {
  if (this.socket) this.socket.setKeepAlive(enable, initialDelay);
  else this.once('socket', (sock) => sock.setKeepAlive(enable, initialDelay));
};

ClientRequest.prototype.clearTimeout = function clearTimeout(cb) {
  this.setTimeout(0, cb);
};

module.exports = { ClientRequest, urlToHttpOptions };
