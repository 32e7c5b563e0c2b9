'use strict';

// `net`: TCP servers and sockets over internalBinding('tcp') (bindings/tcp.cpp), with
// Node's behaviour: Socket is a Duplex whose _write goes to the socket (write()
// returns false past highWaterMark, 'drain' follows), end() half-closes with
// shutdown(SHUT_WR), 'close' comes after the fd is closed (with hadError), errors carry
// Node's codes and messages. IPv4 only: IPv6 literals fail with EAFNOSUPPORT.

const {
  ArrayIsArray, ArrayPrototypePush, NumberIsInteger, NumberIsSafeInteger, ObjectDefineProperty,
  ObjectSetPrototypeOf, Symbol, SymbolAsyncDispose,
} = primordials;
const EE = require('events');
const { Buffer } = require('buffer');
const { Duplex } = require('internal/streams/duplex');
const { getDefaultHighWaterMark } = require('internal/streams/readable');
const {
  codes, errnoException, exceptionWithHostPort, uvExceptionWithHostPort,
} = require('internal/net/errors');
const {
  ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_MISSING_ARGS, ERR_SERVER_ALREADY_LISTEN,
  ERR_SERVER_NOT_RUNNING, ERR_SOCKET_BAD_PORT, ERR_SOCKET_CLOSED, ERR_INVALID_IP_ADDRESS, ERR_OUT_OF_RANGE,
  ERR_NOT_IMPLEMENTED,
} = codes;
const { validateFunction } = require('internal/errors');
const { isIP, isIPv4, isIPv6 } = require('internal/net/ip');

const binding = internalBinding('tcp');
const { TCP, UV_EOF, UV_ENOTCONN } = binding;
const FastBuffer = internals.FastBuffer;

const kTimeout = Symbol('kTimeout');
const kBytesRead = Symbol('kBytesRead');
const kBytesWritten = Symbol('kBytesWritten');
const kSetNoDelay = Symbol('kSetNoDelay');
const kSetKeepAlive = Symbol('kSetKeepAlive');
const kSetKeepAliveInitialDelay = Symbol('kSetKeepAliveInitialDelay');
const kPendingWrite = Symbol('kPendingWrite');
const ownerSymbol = Symbol('owner');

const noop = () => {};

let dns;
function lazyDns() {
  if (dns === undefined) dns = require('dns');
  return dns;
}

function validatePort(port, name = 'Port', allowZero = true) {
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && port.trim().length === 0) ||
      +port !== (+port >>> 0) || port > 0xFFFF || (port === 0 && !allowZero)) {
    throw ERR_SOCKET_BAD_PORT(name, port, allowZero);
  }
  return port | 0;
}

function isPipeName(s) {
  return typeof s === 'string' && toNumber(s) === false;
}

function toNumber(x) {
  return (x = Number(x)) >= 0 ? x : false;
}

// Node's normalizeArgs: (options[, cb]), (port[, host][, cb]), (path[, cb]).
function normalizeArgs(args) {
  let arr;
  if (args.length === 0) {
    arr = [{}, null];
    return arr;
  }
  const arg0 = args[0];
  let options = {};
  if (typeof arg0 === 'object' && arg0 !== null) {
    options = arg0;
  } else if (isPipeName(arg0)) {
    options.path = arg0;
  } else {
    options.port = arg0;
    if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
  }
  const cb = args[args.length - 1];
  if (typeof cb !== 'function') arr = [options, null];
  else arr = [options, cb];
  return arr;
}

// --- Socket ----------------------------------------------------------------------------

function initSocketHandle(self) {
  self._undestroy();
  self._sockname = null;
  if (self._handle) {
    self._handle[ownerSymbol] = self;
    self._handle.onread = onStreamRead;
    self[kPendingWrite] = null;
  }
}

function Socket(options) {
  if (!(this instanceof Socket)) return new Socket(options);
  if (typeof options === 'number') options = { fd: options };
  else options = { ...options };
  if (options.fd !== undefined) throw ERR_NOT_IMPLEMENTED('net.Socket({ fd })');

  this.connecting = false;
  this._hadError = false;
  this._handle = null;
  this._parent = null;
  this._host = null;
  this._peername = null;
  this._sockname = null;
  this[kTimeout] = null;
  this[kBytesRead] = 0;
  this[kBytesWritten] = 0;
  this[kSetNoDelay] = Boolean(options.noDelay);
  this[kSetKeepAlive] = Boolean(options.keepAlive);
  this[kSetKeepAliveInitialDelay] = ~~(options.keepAliveInitialDelay / 1000);

  options.allowHalfOpen = Boolean(options.allowHalfOpen);
  // The socket emits 'close' itself, once the fd is really closed.
  options.emitClose = false;
  options.autoDestroy = true;
  options.decodeStrings = false;
  Duplex.call(this, options);

  if (options.handle) {
    this._handle = options.handle;
    this[kSetNoDelay] = this[kSetNoDelay];
  }
  initSocketHandle(this);

  this.on('end', onReadableStreamEnd);

  if (this._handle && options.readable !== false) {
    if (options.pauseOnCreate) {
      this._handle.reading = false;
      this._handle.readStop();
      this.readableFlowing = false;
    } else if (!options.manualStart) {
      this.read(0);
    }
  }
  if (options.signal) {
    const onAbort = () => this.destroy(require('internal/streams/utils').makeAbortError());
    if (options.signal.aborted) process.nextTick(onAbort);
    else options.signal.addEventListener('abort', onAbort, { once: true });
  }
  this.server = null;
  this._server = null;
}
ObjectSetPrototypeOf(Socket.prototype, Duplex.prototype);
ObjectSetPrototypeOf(Socket, Duplex);

// Without allowHalfOpen the writable side ends with the readable one; writing after the
// peer's FIN fails with EPIPE, as in Node.
function onReadableStreamEnd() {
  if (!this.allowHalfOpen) this.write = writeAfterFIN;
}

function writeAfterFIN(chunk, encoding, cb) {
  if (!this.writableEnded) return Duplex.prototype.write.call(this, chunk, encoding, cb);
  if (typeof encoding === 'function') {
    cb = encoding;
    encoding = null;
  }
  const er = new primordials.Error('This socket has been ended by the other party');
  er.code = 'EPIPE';
  if (typeof cb === 'function') process.nextTick(cb, er);
  this.destroy(er);
  return false;
}

Socket.prototype._unrefTimer = function _unrefTimer() {
  for (let s = this; s !== null; s = s._parent) {
    if (s[kTimeout]) s[kTimeout].refresh();
  }
};

Socket.prototype.setTimeout = function setSocketTimeout(msecs, callback) {
  if (this.destroyed) return this;
  if (typeof msecs !== 'number') throw ERR_INVALID_ARG_TYPE('msecs', 'number', msecs);
  if (msecs < 0 || !primordials.NumberIsFinite(msecs)) throw ERR_OUT_OF_RANGE('msecs', 'a non-negative finite number', msecs);
  this.timeout = msecs;
  if (this[kTimeout]) {
    clearTimeout(this[kTimeout]);
    this[kTimeout] = null;
  }
  if (msecs === 0) {
    if (callback !== undefined) {
      validateFunction(callback, 'callback');
      this.removeListener('timeout', callback);
    }
  } else {
    const timer = setTimeout(() => {
      this[kTimeout] = null;
      this.emit('timeout');
    }, msecs);
    timer.unref();
    this[kTimeout] = timer;
    if (callback !== undefined) {
      validateFunction(callback, 'callback');
      this.once('timeout', callback);
    }
  }
  return this;
};

Socket.prototype._onTimeout = function _onTimeout() {
  this.emit('timeout');
};

Socket.prototype.setNoDelay = function setNoDelay(enable) {
  enable = Boolean(enable === undefined ? true : enable);
  if (!this._handle) {
    this[kSetNoDelay] = enable;
    return this;
  }
  if (this._handle.setNoDelay && enable !== this[kSetNoDelay]) {
    this[kSetNoDelay] = enable;
    this._handle.setNoDelay(enable);
  }
  return this;
};

Socket.prototype.setKeepAlive = function setKeepAlive(enable, initialDelayMsecs) {
  enable = Boolean(enable);
  const initialDelay = ~~(initialDelayMsecs / 1000);
  if (!this._handle || this.connecting) {
    this[kSetKeepAlive] = enable;
    this[kSetKeepAliveInitialDelay] = initialDelay;
    return this;
  }
  if (this._handle.setKeepAlive && enable !== this[kSetKeepAlive]) {
    this[kSetKeepAlive] = enable;
    this[kSetKeepAliveInitialDelay] = initialDelay;
    this._handle.setKeepAlive(enable, initialDelay);
  } else if (this._handle.setKeepAlive && enable && initialDelay !== this[kSetKeepAliveInitialDelay]) {
    this[kSetKeepAliveInitialDelay] = initialDelay;
    this._handle.setKeepAlive(enable, initialDelay);
  }
  return this;
};

Socket.prototype.address = function address() {
  return this._getsockname();
};

ObjectDefineProperty(Socket.prototype, '_connecting', {
  get() {
    return this.connecting;
  },
});

ObjectDefineProperty(Socket.prototype, 'pending', {
  get() {
    return !this._handle || this.connecting;
  },
  configurable: true,
});

ObjectDefineProperty(Socket.prototype, 'readyState', {
  get() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  },
});

ObjectDefineProperty(Socket.prototype, 'bufferSize', {
  get() {
    if (this._handle) return this.writableLength + this._handle.writeQueueSize();
    return undefined;
  },
});

ObjectDefineProperty(Socket.prototype, 'bytesRead', {
  get() {
    return this[kBytesRead];
  },
});

ObjectDefineProperty(Socket.prototype, 'bytesWritten', {
  get() {
    let bytes = this[kBytesWritten];
    const wState = this._writableState;
    if (wState) {
      const buffered = wState.getBuffer();
      for (let i = 0; i < buffered.length; i++) {
        const { chunk, encoding } = buffered[i];
        bytes += chunk instanceof Buffer ? chunk.length : Buffer.byteLength(chunk, encoding);
      }
    }
    if (this[kPendingWrite]) bytes += this[kPendingWrite];
    return bytes;
  },
});

ObjectDefineProperty(Socket.prototype, 'timeout', {
  configurable: true,
  writable: true,
  value: undefined,
});

Socket.prototype._read = function _read(n) {
  if (this.connecting || !this._handle) {
    this.once('connect', () => this._read(n));
  } else if (!this._handle.reading) {
    tryReadStart(this);
  }
};

function tryReadStart(socket) {
  socket._handle.reading = true;
  const err = socket._handle.readStart();
  if (err) socket.destroy(errnoException(err, 'read'));
}

// onread from the binding, `this` is the handle.
function onStreamRead(nread, arrayBuffer) {
  const stream = this[ownerSymbol];
  if (!stream) return;
  if (nread > 0 && !stream.destroyed) {
    stream[kBytesRead] += nread;
    stream._unrefTimer();
    const ret = stream.push(new FastBuffer(arrayBuffer, 0, nread));
    if (!ret && stream._handle) {
      stream._handle.reading = false;
      stream._handle.readStop();
    }
    return;
  }
  if (nread === 0 || stream.destroyed) return;
  if (stream._handle) stream._handle.reading = false;
  if (nread !== UV_EOF) {
    stream.destroy(errnoException(nread, 'read'));
    return;
  }
  // The peer sent FIN: end the readable side; without allowHalfOpen the writable side
  // ends too (Duplex does that after 'end').
  stream.push(null);
  stream.read(0);
}

Socket.prototype._final = function _final(cb) {
  if (this.pending) {
    this.once('connect', () => this._final(cb));
    return;
  }
  if (!this._handle) {
    cb();
    return;
  }
  const req = { handle: this._handle, callback: cb, oncomplete: afterShutdown };
  const err = this._handle.shutdown(req);
  if (err === UV_ENOTCONN) cb();
  else if (err !== 0) cb(errnoException(err, 'shutdown'));
};

function afterShutdown(status) {
  this.callback();
}

Socket.prototype.end = function end(data, encoding, callback) {
  Duplex.prototype.end.call(this, data, encoding, callback);
  return this;
};

Socket.prototype.destroySoon = function destroySoon() {
  if (this.writable) this.end();
  if (this.writableFinished) this.destroy();
  else this.once('finish', this.destroy);
};

Socket.prototype.resetAndDestroy = function resetAndDestroy() {
  // FIXME: a real RST needs SO_LINGER with a zero timeout, which the Kiln kernel does
  // not offer; this closes normally.
  if (this._handle && this.connecting) {
    this.once('connect', () => this.destroy());
    return this;
  }
  return this.destroy();
};

Socket.prototype._destroy = function _destroy(exception, cb) {
  for (let s = this; s !== null; s = s._parent) {
    if (s[kTimeout]) {
      clearTimeout(s[kTimeout]);
      s[kTimeout] = null;
    }
  }
  this.connecting = false;
  if (this._handle) {
    const isException = !!exception;
    const handle = this._handle;
    handle.close(() => {
      this.emit('close', isException);
    });
    handle.onread = noop;
    this._handle = null;
    this._sockname = null;
    cb(exception);
  } else {
    cb(exception);
    process.nextTick(emitCloseNT, this);
  }
  if (this._server) {
    this._server._connections--;
    if (this._server._emitCloseIfDrained) this._server._emitCloseIfDrained();
  }
};

function emitCloseNT(self) {
  self.emit('close', false);
}

Socket.prototype._getpeername = function _getpeername() {
  if (!this._handle || !this._handle.getpeername || this.connecting) return this._peername || {};
  if (!this._peername) {
    const out = {};
    if (this._handle.getpeername(out) !== 0) return out;
    this._peername = out;
  }
  return this._peername;
};

function protoGetter(name, callback) {
  ObjectDefineProperty(Socket.prototype, name, { configurable: false, enumerable: true, get: callback });
}

protoGetter('remoteAddress', function remoteAddress() {
  return this._getpeername().address;
});
protoGetter('remoteFamily', function remoteFamily() {
  return this._getpeername().family;
});
protoGetter('remotePort', function remotePort() {
  return this._getpeername().port;
});

Socket.prototype._getsockname = function _getsockname() {
  if (!this._handle || !this._handle.getsockname) return {};
  if (!this._sockname) {
    const out = {};
    if (this._handle.getsockname(out) !== 0) return {};
    this._sockname = out;
  }
  return this._sockname;
};

protoGetter('localAddress', function localAddress() {
  return this._getsockname().address;
});
protoGetter('localPort', function localPort() {
  return this._getsockname().port;
});
protoGetter('localFamily', function localFamily() {
  return this._getsockname().family;
});

Socket.prototype._writeGeneric = function _writeGeneric(writev, data, encoding, cb) {
  if (this.connecting) {
    this[kPendingWrite] = writev ? 0 : (typeof data === 'string' ? Buffer.byteLength(data, encoding) : data.length);
    const onClose = () => cb(codes.ERR_SOCKET_CLOSED());
    this.once('connect', function connect() {
      this.off('close', onClose);
      this._writeGeneric(writev, data, encoding, cb);
    });
    this.once('close', onClose);
    return;
  }
  this[kPendingWrite] = null;
  if (!this._handle) {
    cb(ERR_SOCKET_CLOSED());
    return false;
  }
  this._unrefTimer();
  const req = { handle: this._handle, callback: cb, oncomplete: onWriteComplete, async: false, bytes: 0 };
  let err;
  if (writev) {
    const chunks = [];
    for (let i = 0; i < data.length; i++) {
      const { chunk, encoding: enc } = data[i];
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk;
      req.bytes += buffer.length;
      ArrayPrototypePush(chunks, buffer);
    }
    err = chunks.length > 1024 ? this._handle.writeBuffer(req, Buffer.concat(chunks))
      : this._handle.writev(req, chunks);
  } else {
    const buffer = typeof data === 'string' ? Buffer.from(data, encoding) : data;
    req.bytes = buffer.length;
    err = this._handle.writeBuffer(req, buffer);
  }
  if (err !== 0) {
    cb(errnoException(err, 'write'));
    return;
  }
  this[kBytesWritten] += req.bytes;
  if (!req.async) cb();
};

function onWriteComplete(status) {
  const stream = this.handle[ownerSymbol];
  if (!stream || stream.destroyed) {
    if (typeof this.callback === 'function') this.callback(null);
    return;
  }
  if (status < 0) {
    this.callback(errnoException(status, 'write'));
    return;
  }
  stream._unrefTimer();
  this.callback(null);
}

Socket.prototype._writev = function _writev(chunks, cb) {
  this._writeGeneric(true, chunks, '', cb);
};

Socket.prototype._write = function _write(data, encoding, cb) {
  this._writeGeneric(false, data, encoding, cb);
};

Socket.prototype.connect = function connect(...args) {
  let normalized;
  if (ArrayIsArray(args[0]) && args[0].length === 2) normalized = args[0];
  else normalized = normalizeArgs(args);
  const options = normalized[0];
  const cb = normalized[1];

  if (this.write !== Socket.prototype.write) this.write = Socket.prototype.write;
  if (this.destroyed) {
    this._handle = null;
    this._peername = null;
    this._sockname = null;
    this._undestroy();
  }
  if (options.path) throw ERR_NOT_IMPLEMENTED('Unix domain sockets');
  if (!this._handle) {
    this._handle = new TCP();
    initSocketHandle(this);
  }
  if (cb !== null) this.once('connect', cb);
  this._unrefTimer();
  this.connecting = true;
  lookupAndConnect(this, options);
  return this;
};

function lookupAndConnect(self, options) {
  const { localAddress, localPort } = options;
  const host = options.host || 'localhost';
  let { port } = options;
  if (localAddress && !isIP(localAddress)) throw ERR_INVALID_IP_ADDRESS(localAddress);
  if (localPort && typeof localPort !== 'number') throw ERR_INVALID_ARG_TYPE('options.localPort', 'number', localPort);
  if (typeof port !== 'undefined') {
    if (typeof port !== 'number' && typeof port !== 'string') {
      throw ERR_INVALID_ARG_TYPE('options.port', ['number', 'string'], port);
    }
    validatePort(port);
  }
  port |= 0;

  const addressType = isIP(host);
  if (addressType) {
    process.nextTick(() => {
      if (self.connecting) internalConnect(self, host, port, addressType, localAddress, localPort);
    });
    return;
  }
  if (options.lookup != null && typeof options.lookup !== 'function') {
    throw ERR_INVALID_ARG_TYPE('options.lookup', 'Function', options.lookup);
  }
  const lookup = options.lookup || lazyDns().lookup;
  const dnsopts = { family: options.family, hints: options.hints || 0 };
  self._host = host;
  lookup(host, dnsopts, function emitLookup(err, ip, addressType) {
    self.emit('lookup', err, ip, addressType, host);
    if (!self.connecting) return;
    if (err) {
      process.nextTick(connectErrorNT, self, err);
    } else if (!isIP(ip)) {
      err = ERR_INVALID_IP_ADDRESS(ip);
      process.nextTick(connectErrorNT, self, err);
    } else if (addressType !== 4 && addressType !== 6) {
      err = codes.ERR_INVALID_ADDRESS_FAMILY(addressType, options.host, options.port);
      process.nextTick(connectErrorNT, self, err);
    } else {
      self._unrefTimer();
      internalConnect(self, ip, port, addressType, localAddress, localPort);
    }
  });
}

function connectErrorNT(self, err) {
  self.destroy(err);
}

// The kernel binding speaks IPv4 only; an IPv6 address fails like an unsupported family.
const UV_EAFNOSUPPORT = -97;

function internalConnect(self, address, port, addressType, localAddress, localPort) {
  if (!self._handle) return;
  let err;
  if (addressType === 6) {
    self.destroy(exceptionWithHostPort(UV_EAFNOSUPPORT, 'connect', address, port));
    return;
  }
  if (localAddress || localPort) {
    err = self._handle.bind(localAddress || '0.0.0.0', localPort || 0);
    if (err) {
      self.destroy(exceptionWithHostPort(err, 'bind', localAddress, localPort));
      return;
    }
  }
  const req = { oncomplete: afterConnect, address, port, localAddress, localPort, handle: self._handle };
  err = self._handle.connect(req, address, port);
  if (err) {
    self.destroy(exceptionWithHostPort(err, 'connect', address, port));
  }
}

function afterConnect(status) {
  const handle = this.handle;
  const self = handle[ownerSymbol];
  if (!self || self.destroyed) return;
  self.connecting = false;
  self._sockname = null;
  if (status === 0) {
    self._unrefTimer();
    if (self[kSetNoDelay] && self._handle.setNoDelay) self._handle.setNoDelay(true);
    if (self[kSetKeepAlive] && self._handle.setKeepAlive) {
      self._handle.setKeepAlive(true, self[kSetKeepAliveInitialDelay]);
    }
    self.emit('connect');
    self.emit('ready');
    if (self.readable && !self.isPaused()) self.read(0);
  } else {
    self.destroy(exceptionWithHostPort(status, 'connect', this.address, this.port));
  }
}

Socket.prototype.ref = function ref() {
  if (!this._handle) {
    this.once('connect', this.ref);
    return this;
  }
  this._handle.ref();
  return this;
};

Socket.prototype.unref = function unref() {
  if (!this._handle) {
    this.once('connect', this.unref);
    return this;
  }
  this._handle.unref();
  return this;
};

// --- Server ----------------------------------------------------------------------------

function Server(options, connectionListener) {
  if (!(this instanceof Server)) return new Server(options, connectionListener);
  EE.call(this);
  if (typeof options === 'function') {
    connectionListener = options;
    options = {};
  } else if (options == null || typeof options === 'object') {
    options = { ...options };
  } else {
    throw ERR_INVALID_ARG_TYPE('options', 'Object', options);
  }
  if (typeof connectionListener === 'function') this.on('connection', connectionListener);
  this._connections = 0;
  this._handle = null;
  this._unref = false;
  this.allowHalfOpen = options.allowHalfOpen || false;
  this.pauseOnConnect = !!options.pauseOnConnect;
  this.noDelay = Boolean(options.noDelay);
  this.keepAlive = Boolean(options.keepAlive);
  this.keepAliveInitialDelay = ~~(options.keepAliveInitialDelay / 1000);
  this.highWaterMark = options.highWaterMark ?? getDefaultHighWaterMark();
  this.maxConnections = undefined;
}
ObjectSetPrototypeOf(Server.prototype, EE.prototype);
ObjectSetPrototypeOf(Server, EE);

function toNumberOrUndefined(x) {
  return typeof x === 'number' || typeof x === 'string' ? x : undefined;
}

Server.prototype.listen = function listen(...args) {
  const normalized = normalizeArgs(args);
  let options = normalized[0];
  const cb = normalized[1];
  if (this._handle) throw ERR_SERVER_ALREADY_LISTEN();
  if (cb !== null) this.once('listening', cb);
  // listen(port, host, backlog, cb) and listen(port, backlog, cb)
  let backlog;
  if (typeof args[0] !== 'object' || args[0] === null) {
    if (typeof args[1] === 'number') backlog = args[1];
    else if (typeof args[2] === 'number') backlog = args[2];
  } else {
    backlog = options.backlog;
  }
  backlog = backlog || 511;

  if (options.path) throw ERR_NOT_IMPLEMENTED('Unix domain sockets');
  if (options.handle || options.fd !== undefined) throw ERR_NOT_IMPLEMENTED('listen({ handle | fd })');
  let port = toNumberOrUndefined(options.port);
  if (port === undefined && (typeof options.port !== 'undefined' && options.port !== null)) {
    throw ERR_INVALID_ARG_VALUE('options', options, 'must have the property "port" or "path"');
  }
  if (port === undefined) port = 0;
  port = validatePort(port, 'options.port');
  if (options.host) {
    const host = options.host;
    if (isIP(host)) {
      setupListen(this, host, port, backlog);
    } else {
      lazyDns().lookup(host, (err, ip) => {
        if (err) {
          this.emit('error', err);
          return;
        }
        setupListen(this, ip, port, backlog);
      });
    }
  } else {
    // Node binds '::' (and so IPv4 too); Kiln has IPv4 only.
    setupListen(this, '0.0.0.0', port, backlog);
  }
  return this;
};

function setupListen(server, address, port, backlog) {
  if (isIPv6(address)) {
    process.nextTick(emitErrorNT, server, uvExceptionWithHostPort(UV_EAFNOSUPPORT, 'listen', address, port));
    return;
  }
  const handle = new TCP();
  let err = handle.bind(address, port);
  if (err === 0) err = handle.listen(backlog);
  if (err) {
    handle.close();
    process.nextTick(emitErrorNT, server, uvExceptionWithHostPort(err, 'listen', address, port));
    return;
  }
  server._handle = handle;
  handle[ownerSymbol] = server;
  handle.onconnection = onconnection;
  if (server._unref) handle.unref();
  process.nextTick(emitListeningNT, server);
}

function emitErrorNT(self, err) {
  self.emit('error', err);
}

function emitListeningNT(self) {
  if (self._handle) self.emit('listening');
}

function onconnection(err, clientHandle) {
  const self = this[ownerSymbol];
  if (!self) {
    if (clientHandle) clientHandle.close();
    return;
  }
  if (err) {
    self.emit('error', errnoException(err, 'accept'));
    return;
  }
  if (self.maxConnections && self._connections >= self.maxConnections) {
    clientHandle.close();
    self.emit('drop', {});
    return;
  }
  const socket = new Socket({
    handle: clientHandle,
    allowHalfOpen: self.allowHalfOpen,
    pauseOnCreate: self.pauseOnConnect,
    readable: true,
    writable: true,
    highWaterMark: self.highWaterMark,
  });
  if (self.noDelay) socket.setNoDelay(true);
  if (self.keepAlive) socket.setKeepAlive(true, self.keepAliveInitialDelay * 1000);
  self._connections++;
  socket.server = self;
  socket._server = self;
  self.emit('connection', socket);
}

Server.prototype.address = function address() {
  if (this._handle && this._handle.getsockname) {
    const out = {};
    const err = this._handle.getsockname(out);
    if (err) throw errnoException(err, 'address');
    return out;
  }
  return null;
};

Server.prototype.getConnections = function getConnections(cb) {
  process.nextTick(cb, null, this._connections);
  return this;
};

Server.prototype.close = function close(cb) {
  if (typeof cb === 'function') {
    if (!this._handle) {
      this.once('close', function onClose() {
        cb(ERR_SERVER_NOT_RUNNING());
      });
    } else {
      this.once('close', cb);
    }
  }
  if (this._handle) {
    this._handle.close();
    this._handle = null;
  }
  this._emitCloseIfDrained();
  return this;
};

Server.prototype[SymbolAsyncDispose] = function asyncDispose() {
  return new primordials.Promise((resolve, reject) => {
    if (!this._handle) {
      resolve();
      return;
    }
    this.close((err) => (err ? reject(err) : resolve()));
  });
};

Server.prototype._emitCloseIfDrained = function _emitCloseIfDrained() {
  if (this._handle || this._connections) return;
  process.nextTick(emitServerCloseNT, this);
};

function emitServerCloseNT(self) {
  self.emit('close');
}

ObjectDefineProperty(Server.prototype, 'listening', {
  get() {
    return !!this._handle;
  },
  configurable: true,
  enumerable: true,
});

Server.prototype.ref = function ref() {
  this._unref = false;
  if (this._handle) this._handle.ref();
  return this;
};

Server.prototype.unref = function unref() {
  this._unref = true;
  if (this._handle) this._handle.unref();
  return this;
};

function createServer(options, connectionListener) {
  return new Server(options, connectionListener);
}

function connect(...args) {
  const normalized = normalizeArgs(args);
  const options = normalized[0];
  const socket = new Socket(options);
  if (options.timeout) socket.setTimeout(options.timeout);
  return socket.connect(normalized);
}

let autoSelectFamilyDefault = false;
let autoSelectFamilyAttemptTimeoutDefault = 250;

module.exports = {
  _createServerHandle: undefined,
  _normalizeArgs: normalizeArgs,
  _setSimultaneousAccepts: noop,
  BlockList: undefined,
  SocketAddress: undefined,
  connect,
  createConnection: connect,
  createServer,
  isIP,
  isIPv4,
  isIPv6,
  Server,
  Socket,
  Stream: Socket,
  getDefaultAutoSelectFamily: () => autoSelectFamilyDefault,
  setDefaultAutoSelectFamily: (value) => {
    autoSelectFamilyDefault = !!value;
  },
  getDefaultAutoSelectFamilyAttemptTimeout: () => autoSelectFamilyAttemptTimeoutDefault,
  setDefaultAutoSelectFamilyAttemptTimeout: (value) => {
    autoSelectFamilyAttemptTimeoutDefault = value;
  },
};
