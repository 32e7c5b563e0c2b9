'use strict';

// `dgram`: UDP sockets over internalBinding('udp') (bindings/udp.cpp). IPv4 only
// ('udp4'); 'udp6' throws ERR_NOT_IMPLEMENTED. bind() resolves names through `dns`,
// send() binds implicitly (as Node does) and its callback runs from the loop.

const { ArrayIsArray, ArrayPrototypePush, ObjectSetPrototypeOf, Symbol } = primordials;
const EE = require('events');
const { Buffer } = require('buffer');
const { codes, errnoException, exceptionWithHostPort } = require('internal/net/errors');
const {
  ERR_INVALID_ARG_TYPE, ERR_SOCKET_ALREADY_BOUND, ERR_SOCKET_BAD_TYPE, ERR_SOCKET_DGRAM_NOT_RUNNING,
  ERR_SOCKET_BAD_PORT, ERR_NOT_IMPLEMENTED, ERR_MISSING_ARGS,
} = codes;
const { isIP } = require('internal/net/ip');

const { UDP } = internalBinding('udp');
const FastBuffer = internals.FastBuffer;

const BIND_STATE_UNBOUND = 0;
const BIND_STATE_BINDING = 1;
const BIND_STATE_BOUND = 2;
const kState = Symbol('kStateSymbol');
const ownerSymbol = Symbol('owner');

let dns;
function lookup(address, callback) {
  if (dns === undefined) dns = require('dns');
  return dns.lookup(address, 4, callback);
}

function validatePort(port, name = 'Port', allowZero = true) {
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && port.trim().length === 0) ||
      +port !== (+port >>> 0) || port > 0xFFFF || (port === 0 && !allowZero)) {
    throw ERR_SOCKET_BAD_PORT(name, port, allowZero);
  }
  return port | 0;
}

function Socket(type, listener) {
  EE.call(this);
  let options;
  if (type !== null && typeof type === 'object') {
    options = type;
    type = options.type;
  }
  if (type === 'udp6') throw ERR_NOT_IMPLEMENTED("dgram 'udp6' sockets");
  if (type !== 'udp4') throw ERR_SOCKET_BAD_TYPE();
  const handle = new UDP();
  handle[ownerSymbol] = this;
  handle.onmessage = onMessage;
  this.type = type;
  if (typeof listener === 'function') this.on('message', listener);
  this[kState] = {
    handle,
    receiving: false,
    bindState: BIND_STATE_UNBOUND,
    queue: undefined,
    reuseAddr: options && options.reuseAddr,
    recvBufferSize: options && options.recvBufferSize,
    sendBufferSize: options && options.sendBufferSize,
  };
  if (options?.signal) {
    const onAborted = () => {
      if (this[kState].handle) this.close();
    };
    if (options.signal.aborted) onAborted();
    else options.signal.addEventListener('abort', onAborted, { once: true });
  }
}
ObjectSetPrototypeOf(Socket.prototype, EE.prototype);
ObjectSetPrototypeOf(Socket, EE);

function createSocket(type, listener) {
  return new Socket(type, listener);
}

function healthCheck(socket) {
  if (!socket[kState].handle) throw ERR_SOCKET_DGRAM_NOT_RUNNING();
}

function startListening(socket) {
  const state = socket[kState];
  state.handle.onmessage = onMessage;
  const err = state.handle.recvStart();
  if (err) {
    socket.emit('error', errnoException(err, 'recvStart'));
    return;
  }
  state.receiving = true;
  state.bindState = BIND_STATE_BOUND;
  if (state.recvBufferSize) state.handle.setBufferSize(true, state.recvBufferSize);
  if (state.sendBufferSize) state.handle.setBufferSize(false, state.sendBufferSize);
  socket.emit('listening');
}

Socket.prototype.bind = function bind(port_, address_ /* , callback */) {
  let port = port_;
  healthCheck(this);
  const state = this[kState];
  if (state.bindState !== BIND_STATE_UNBOUND) throw ERR_SOCKET_ALREADY_BOUND();
  state.bindState = BIND_STATE_BINDING;

  const cb = arguments.length && arguments[arguments.length - 1];
  if (typeof cb === 'function') {
    const removeListeners = () => this.removeListener('error', removeListeners) &&
      this.removeListener('listening', onListening);
    const onListening = () => {
      removeListeners();
      cb.call(this);
    };
    this.on('error', removeListeners);
    this.on('listening', onListening);
  }

  let address;
  let exclusive;
  if (port !== null && typeof port === 'object') {
    address = port.address || '';
    exclusive = !!port.exclusive;
    if (port.fd !== undefined) throw ERR_NOT_IMPLEMENTED('dgram bind({ fd })');
    port = port.port;
  } else {
    address = typeof address_ === 'function' ? '' : address_;
    exclusive = false;
  }
  if (!address) address = '0.0.0.0';
  if (port === undefined || port === null) port = 0;
  else port = validatePort(port);

  lookup(address, (err, ip) => {
    if (err) {
      state.bindState = BIND_STATE_UNBOUND;
      this.emit('error', err);
      return;
    }
    if (!state.handle) return;
    const status = state.handle.bind(ip, port || 0, !!state.reuseAddr);
    if (status) {
      const ex = exceptionWithHostPort(status, 'bind', ip, port);
      state.bindState = BIND_STATE_UNBOUND;
      this.emit('error', ex);
      return;
    }
    startListening(this);
  });
  return this;
};

Socket.prototype.connect = function connect() {
  throw ERR_NOT_IMPLEMENTED('dgram socket.connect()');
};

function sliceBuffer(buffer, offset, length) {
  if (typeof buffer === 'string') buffer = Buffer.from(buffer);
  else if (!(buffer instanceof primordials.Uint8Array) && !ArrayBufferIsView(buffer)) {
    throw ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
  }
  offset >>>= 0;
  length >>>= 0;
  return Buffer.from(buffer.buffer, buffer.byteOffset + offset, length);
}

function ArrayBufferIsView(value) {
  return primordials.ArrayBufferIsView(value);
}

function fixBufferList(list) {
  const newlist = [];
  for (let i = 0; i < list.length; i++) {
    const buf = list[i];
    if (typeof buf === 'string') ArrayPrototypePush(newlist, Buffer.from(buf));
    else if (!ArrayBufferIsView(buf)) return null;
    else ArrayPrototypePush(newlist, new FastBuffer(buf.buffer, buf.byteOffset, buf.byteLength));
  }
  return newlist;
}

function enqueue(self, toEnqueue) {
  const state = self[kState];
  if (state.queue === undefined) {
    state.queue = [];
    self.once(EE.errorMonitor, onListenError);
    self.once('listening', onListenSuccess);
  }
  ArrayPrototypePush(state.queue, toEnqueue);
}

function onListenSuccess() {
  this.removeListener(EE.errorMonitor, onListenError);
  clearQueue.call(this);
}

function onListenError(err) {
  this.removeListener('listening', onListenSuccess);
  this[kState].queue = undefined;
}

function clearQueue() {
  const state = this[kState];
  const queue = state.queue;
  state.queue = undefined;
  for (const queueEntry of queue) queueEntry();
}

// send(msg[, offset, length], port[, address][, callback])
Socket.prototype.send = function send(buffer, offset, length, port, address, callback) {
  let list;
  const state = this[kState];
  if (address || (port && typeof port !== 'function')) {
    buffer = sliceBuffer(buffer, offset, length);
  } else {
    callback = port;
    port = offset;
    address = length;
  }
  if (!ArrayIsArray(buffer)) {
    if (typeof buffer === 'string') {
      list = [Buffer.from(buffer)];
    } else if (!ArrayBufferIsView(buffer)) {
      throw ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
    } else {
      list = [buffer];
    }
  } else if (!(list = fixBufferList(buffer))) {
    throw ERR_INVALID_ARG_TYPE('buffer list arguments', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
  }
  port = validatePort(port, 'Port', false);
  if (typeof address === 'function') {
    callback = address;
    address = undefined;
  } else if (address != null && typeof address !== 'string') {
    throw ERR_INVALID_ARG_TYPE('address', 'string', address);
  }
  healthCheck(this);
  if (state.bindState === BIND_STATE_UNBOUND) this.bind({ port: 0, exclusive: true }, null);
  if (list.length === 0) ArrayPrototypePush(list, Buffer.alloc(0));
  if (state.bindState !== BIND_STATE_BOUND) {
    enqueue(this, this.send.bind(this, list, port, address, callback));
    return;
  }
  const afterDns = (ex, ip) => {
    doSend(ex, this, ip, list, address, port, callback);
  };
  lookup(address || '127.0.0.1', afterDns);
};

function doSend(ex, self, ip, list, address, port, callback) {
  const state = self[kState];
  if (ex) {
    if (typeof callback === 'function') {
      process.nextTick(callback, ex);
      return;
    }
    process.nextTick(() => self.emit('error', ex));
    return;
  }
  if (!state.handle) return;
  let bytes = 0;
  for (let i = 0; i < list.length; i++) bytes += list[i].length;
  const req = { list, address, port, callback, oncomplete: afterSend, async: false };
  const err = state.handle.send(req, list, port, ip);
  if (err && typeof callback === 'function') {
    const ex2 = exceptionWithHostPort(err, 'send', address, port);
    process.nextTick(callback, ex2);
    return;
  }
  if (err) {
    process.nextTick(() => self.emit('error', exceptionWithHostPort(err, 'send', address, port)));
    return;
  }
  if (!req.async && typeof callback === 'function') process.nextTick(callback, null, bytes);
  req.bytes = bytes;
}

function afterSend(status) {
  if (typeof this.callback !== 'function') return;
  if (status < 0) this.callback(exceptionWithHostPort(status, 'send', this.address, this.port));
  else this.callback(null, this.bytes);
}

Socket.prototype.close = function close(callback) {
  const state = this[kState];
  const queue = state.queue;
  if (typeof callback === 'function') this.on('close', callback);
  if (queue !== undefined) {
    ArrayPrototypePush(queue, this.close.bind(this));
    return this;
  }
  healthCheck(this);
  state.receiving = false;
  state.handle.close();
  state.handle = null;
  process.nextTick(() => this.emit('close'));
  return this;
};

Socket.prototype[primordials.SymbolAsyncDispose] = function asyncDispose() {
  if (!this[kState].handle) return primordials.Promise.resolve();
  return new primordials.Promise((resolve) => this.close(resolve));
};

Socket.prototype.address = function address() {
  healthCheck(this);
  const out = {};
  const err = this[kState].handle.getsockname(out);
  if (err) throw errnoException(err, 'getsockname');
  return out;
};

Socket.prototype.remoteAddress = function remoteAddress() {
  throw codes.ERR_NOT_IMPLEMENTED('dgram connected sockets');
};

Socket.prototype.setRecvBufferSize = function setRecvBufferSize(size) {
  healthCheck(this);
  const err = this[kState].handle.setBufferSize(true, size);
  if (err) throw errnoException(err, 'uv_recv_buffer_size');
};

Socket.prototype.setSendBufferSize = function setSendBufferSize(size) {
  healthCheck(this);
  const err = this[kState].handle.setBufferSize(false, size);
  if (err) throw errnoException(err, 'uv_send_buffer_size');
};

Socket.prototype.getRecvBufferSize = function getRecvBufferSize() {
  healthCheck(this);
  return this[kState].handle.bufferSize(true);
};

Socket.prototype.getSendBufferSize = function getSendBufferSize() {
  healthCheck(this);
  return this[kState].handle.bufferSize(false);
};

for (const name of ['setBroadcast', 'setTTL', 'setMulticastTTL', 'setMulticastLoopback', 'setMulticastInterface',
  'addMembership', 'dropMembership', 'addSourceSpecificMembership', 'dropSourceSpecificMembership']) {
  Socket.prototype[name] = function notImplemented() {
    throw ERR_NOT_IMPLEMENTED(`dgram socket.${name}()`);
  };
}

Socket.prototype.ref = function ref() {
  const handle = this[kState].handle;
  if (handle) handle.ref();
  return this;
};

Socket.prototype.unref = function unref() {
  const handle = this[kState].handle;
  if (handle) handle.unref();
  return this;
};

Socket.prototype.getSendQueueSize = () => 0;
Socket.prototype.getSendQueueCount = () => 0;

function onMessage(nread, arrayBuffer, rinfo) {
  const self = this[ownerSymbol];
  if (!self) return;
  if (nread < 0) {
    self.emit('error', errnoException(nread, 'recvmsg'));
    return;
  }
  rinfo.size = nread;
  self.emit('message', new FastBuffer(arrayBuffer, 0, nread), rinfo);
}

module.exports = { createSocket, Socket, _createSocketHandle: undefined };
