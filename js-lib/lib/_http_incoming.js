'use strict';

// http.IncomingMessage: a request on the server or a response on the client, as a
// Readable of the body. `headers` joins repeated fields as Node does.

const {
  ArrayPrototypePush, ObjectCreate, ObjectDefineProperty, ObjectSetPrototypeOf, StringPrototypeToLowerCase,
  Symbol,
} = primordials;
const { Readable } = require('internal/streams/readable');
const { finished } = { finished: require('internal/streams/utils').eos };
const { connResetException } = require('internal/net/errors');

const kHeaders = Symbol('kHeaders');
const kHeadersCount = Symbol('kHeadersCount');
const kTrailers = Symbol('kTrailers');
const kTrailersCount = Symbol('kTrailersCount');

function readStart(socket) {
  if (socket && !socket._paused && socket.readable) socket.resume();
}

function readStop(socket) {
  if (socket) socket.pause();
}

function IncomingMessage(socket) {
  let streamOptions;
  if (socket) streamOptions = { highWaterMark: socket.readableHighWaterMark };
  Readable.call(this, streamOptions);
  this._readableState.readingMore = true;
  this.socket = socket;
  this.httpVersionMajor = null;
  this.httpVersionMinor = null;
  this.httpVersion = null;
  this.complete = false;
  this[kHeaders] = null;
  this[kHeadersCount] = 0;
  this.rawHeaders = [];
  this[kTrailers] = null;
  this[kTrailersCount] = 0;
  this.rawTrailers = [];
  this.joinDuplicateHeaders = false;
  this.aborted = false;
  this.upgrade = null;
  this.url = '';
  this.method = null;
  this.statusCode = null;
  this.statusMessage = null;
  this.client = socket;
  this._consuming = false;
  this._dumped = false;
}
ObjectSetPrototypeOf(IncomingMessage.prototype, Readable.prototype);
ObjectSetPrototypeOf(IncomingMessage, Readable);

ObjectDefineProperty(IncomingMessage.prototype, 'connection', {
  get() {
    return this.socket;
  },
  set(val) {
    this.socket = val;
  },
});

function buildHeaders(message, raw) {
  const headers = ObjectCreate(null);
  const dest = {};
  for (let n = 0; n < raw.length; n += 2) message._addHeaderLine(raw[n], raw[n + 1], dest);
  return dest;
}

ObjectDefineProperty(IncomingMessage.prototype, 'headers', {
  get() {
    if (!this[kHeaders]) this[kHeaders] = buildHeaders(this, this.rawHeaders);
    return this[kHeaders];
  },
  set(val) {
    this[kHeaders] = val;
  },
});

ObjectDefineProperty(IncomingMessage.prototype, 'headersDistinct', {
  get() {
    const out = {};
    for (let n = 0; n < this.rawHeaders.length; n += 2) {
      const key = StringPrototypeToLowerCase(this.rawHeaders[n]);
      if (out[key] === undefined) out[key] = [];
      ArrayPrototypePush(out[key], this.rawHeaders[n + 1]);
    }
    return out;
  },
});

ObjectDefineProperty(IncomingMessage.prototype, 'trailers', {
  get() {
    if (!this[kTrailers]) this[kTrailers] = buildHeaders(this, this.rawTrailers);
    return this[kTrailers];
  },
  set(val) {
    this[kTrailers] = val;
  },
});

IncomingMessage.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (callback) this.on('timeout', callback);
  this.socket.setTimeout(msecs);
  return this;
};

IncomingMessage.prototype._read = function _read(n) {
  if (!this._consuming) {
    this._readableState.readingMore = false;
    this._consuming = true;
  }
  // The parser stopped reading the socket when the body's buffer filled.
  if (this.socket && this.socket.readable) readStart(this.socket);
};

IncomingMessage.prototype._destroy = function _destroy(err, cb) {
  if (!this.readableEnded || !this.complete) {
    this.aborted = true;
    this.emit('aborted');
  }
  if (this.socket && !this.socket.destroyed && this.aborted) {
    this.socket.destroy(err);
    const cleanup = finished(this.socket, (e) => {
      if (e?.code === 'ERR_STREAM_PREMATURE_CLOSE') e = null;
      cleanup();
      process.nextTick(onError, this, e || err, cb);
    });
  } else {
    process.nextTick(onError, this, err, cb);
  }
};

function onError(self, error, cb) {
  if (self.listenerCount('error') === 0) cb();
  else cb(error);
}

// Node's matchKnownFields: which repeated fields are dropped, joined with ', ', or
// (set-cookie) kept as an array.
function matchKnownFields(field) {
  const lower = StringPrototypeToLowerCase(field);
  switch (lower) {
    case 'content-type': case 'content-length': case 'user-agent': case 'referer': case 'host':
    case 'authorization': case 'proxy-authorization': case 'if-modified-since': case 'if-unmodified-since':
    case 'from': case 'location': case 'max-forwards': case 'retry-after': case 'etag': case 'last-modified':
    case 'server': case 'age': case 'expires':
      return [lower, 'drop'];
    case 'set-cookie':
      return [lower, 'array'];
    case 'cookie':
      return [lower, 'cookie'];
    default:
      return [lower, 'join'];
  }
}

IncomingMessage.prototype._addHeaderLine = function _addHeaderLine(field, value, dest) {
  const [name, kind] = matchKnownFields(field);
  if (kind === 'array') {
    if (dest[name] !== undefined) ArrayPrototypePush(dest[name], value);
    else dest[name] = [value];
  } else if (dest[name] === undefined) {
    dest[name] = value;
  } else if (kind === 'cookie') {
    dest[name] += `; ${value}`;
  } else if (kind === 'join' || this.joinDuplicateHeaders) {
    dest[name] += `, ${value}`;
  }
};

IncomingMessage.prototype._addHeaderLines = function _addHeaderLines(headers, n) {
  // The parser hands over raw headers; nothing to do here (kept for compatibility).
};

IncomingMessage.prototype._dump = function _dump() {
  if (!this._dumped) {
    this._dumped = true;
    this.removeAllListeners('data');
    this.resume();
  }
};

module.exports = { IncomingMessage, readStart, readStop, connResetException };
