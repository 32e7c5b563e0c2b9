'use strict';

// `events`: Node's EventEmitter, with its semantics: listeners run synchronously in
// order; 'newListener' fires before a listener is added and 'removeListener' after
// one is removed; emit('error') with no listener throws; a warning once a name has
// more than maxListeners listeners; once() as a promise; errorMonitor.

const {
  ArrayPrototypePush, ArrayPrototypeSlice, ArrayPrototypeSplice, ArrayPrototypeUnshift, Error, NumberIsNaN,
  ObjectCreate, ObjectDefineProperty, ObjectGetPrototypeOf, ReflectApply, ReflectOwnKeys,
  SymbolFor,
} = primordials;
const { makeNodeError, codes, validateFunction } = require('internal/errors');
const { resolvedPromise, rejectedPromise } = require('internal/promises');

const kCapture = primordials.Symbol('kCapture');
// Node 20 keeps these as own properties; they show in util.inspect(emitter).
const kShapeMode = primordials.Symbol('shapeMode');
const errorMonitor = SymbolFor('events.errorMonitor');
const kRejection = SymbolFor('nodejs.rejection');
let defaultMaxListeners = 10;

function checkListener(listener) {
  validateFunction(listener, 'listener');
}

function EventEmitter(options) {
  ReflectApply(EventEmitter.init, this, [options]);
}

EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;

ObjectDefineProperty(EventEmitter, 'defaultMaxListeners', {
  enumerable: true,
  get() {
    return defaultMaxListeners;
  },
  set(value) {
    if (typeof value !== 'number' || value < 0 || NumberIsNaN(value)) {
      throw codes.ERR_OUT_OF_RANGE('defaultMaxListeners', 'a non-negative number', value);
    }
    defaultMaxListeners = value;
  },
});

EventEmitter.init = function init(options) {
  if (this._events === undefined || this._events === ObjectGetPrototypeOf(this)._events) {
    this._events = ObjectCreate(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
  this[kShapeMode] = false;
  this[kCapture] = Boolean(options?.captureRejections);
};

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  if (typeof n !== 'number' || n < 0 || NumberIsNaN(n)) throw codes.ERR_OUT_OF_RANGE('n', 'a non-negative number', n);
  this._maxListeners = n;
  return this;
};

function maxListenersOf(emitter) {
  return emitter._maxListeners === undefined ? defaultMaxListeners : emitter._maxListeners;
}

EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return maxListenersOf(this);
};

function describe(value) {
  return typeof value === 'symbol' ? primordials.SymbolPrototypeToString(value) : `${value}`;
}

// An 'error' with no listener: throw it, or wrap a non-Error in ERR_UNHANDLED_ERROR.
function unhandledError(error) {
  if (error instanceof Error) return error;
  let shown;
  try {
    shown = internals.inspect(error);
  } catch {
    shown = '[Unknown]';
  }
  const wrapped = makeNodeError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${shown})`);
  wrapped.context = error;
  return wrapped;
}

EventEmitter.prototype.emit = function emit(type, ...args) {
  const events = this._events;
  if (type === 'error') {
    if (events !== undefined && events[errorMonitor] !== undefined) {
      const monitorArgs = ArrayPrototypeSlice(args);
      ArrayPrototypeUnshift(monitorArgs, errorMonitor);
      ReflectApply(this.emit, this, monitorArgs);
    }
    if (events === undefined || events.error === undefined) throw unhandledError(args[0]);
  }
  if (events === undefined) return false;
  const handler = events[type];
  if (handler === undefined) return false;
  if (typeof handler === 'function') {
    const result = ReflectApply(handler, this, args);
    if (result !== undefined && result !== null && this[kCapture]) addCatch(this, result, type, args);
  } else {
    // Copied so listeners added or removed while emitting do not change this round.
    const listeners = ArrayPrototypeSlice(handler);
    for (let i = 0; i < listeners.length; i++) {
      const result = ReflectApply(listeners[i], this, args);
      if (result !== undefined && result !== null && this[kCapture]) addCatch(this, result, type, args);
    }
  }
  return true;
};

// captureRejections: a listener's rejected promise becomes an 'error' event.
function addCatch(emitter, promise, type, args) {
  if (typeof promise.then !== 'function') return;
  promise.then(undefined, (error) => {
    if (typeof emitter[kRejection] === 'function') ReflectApply(emitter[kRejection], emitter, [error, type, args]);
    else emitter.emit('error', error);
  });
}

function addListener(target, type, listener, prepend) {
  checkListener(listener);
  let events = target._events;
  if (events === undefined) {
    events = target._events = ObjectCreate(null);
    target._eventsCount = 0;
  } else if (events.newListener !== undefined) {
    target.emit('newListener', type, listener.listener ?? listener);
    events = target._events;
  }
  let existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    ++target._eventsCount;
    return target;
  }
  if (typeof existing === 'function') {
    existing = events[type] = prepend ? [listener, existing] : [existing, listener];
  } else if (prepend) {
    ArrayPrototypeUnshift(existing, listener);
  } else {
    ArrayPrototypePush(existing, listener);
  }
  const max = maxListenersOf(target);
  if (max > 0 && existing.length > max && !existing.warned) {
    existing.warned = true;
    const name = target.constructor?.name ?? 'EventEmitter';
    const warning = new Error(`Possible EventEmitter memory leak detected. ${existing.length} ${describe(type)} `
      + `listeners added to [${name}]. Use emitter.setMaxListeners() to increase limit`);
    warning.name = 'MaxListenersExceededWarning';
    warning.emitter = target;
    warning.type = type;
    warning.count = existing.length;
    emitWarning(warning);
  }
  return target;
}

function emitWarning(warning) {
  if (typeof process.emitWarning === 'function') {
    process.emitWarning(warning);
  } else {
    console.error(`(node:${process.pid}) ${warning.name}: ${warning.message}`);
  }
}

EventEmitter.prototype.addListener = function addListenerMethod(type, listener) {
  return addListener(this, type, listener, false);
};
EventEmitter.prototype.on = EventEmitter.prototype.addListener;
EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return addListener(this, type, listener, true);
};

function onceWrapper(...args) {
  if (!this.fired) {
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    return ReflectApply(this.listener, this.target, args);
  }
  return undefined;
}

function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = primordials.FunctionPrototypeBind(onceWrapper, state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener);
  this.on(type, onceWrap(this, type, listener));
  return this;
};
EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener);
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener);
  const events = this._events;
  if (events === undefined) return this;
  const list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    if (--this._eventsCount === 0) {
      this._events = ObjectCreate(null);
    } else {
      delete events[type];
    }
    if (events.removeListener !== undefined) this.emit('removeListener', type, list.listener || listener);
    return this;
  }
  if (typeof list === 'function') return this;
  let position = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i] === listener || list[i].listener === listener) {
      position = i;
      break;
    }
  }
  if (position < 0) return this;
  const removed = list[position];
  ArrayPrototypeSplice(list, position, 1);
  if (list.length === 1) events[type] = list[0];
  if (events.removeListener !== undefined) this.emit('removeListener', type, removed.listener || listener);
  return this;
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === undefined) return this;
  if (events.removeListener === undefined) {
    if (arguments.length === 0) {
      this._events = ObjectCreate(null);
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = ObjectCreate(null);
      else delete events[type];
    }
    return this;
  }
  if (arguments.length === 0) {
    const keys = ReflectOwnKeys(events);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== 'removeListener') this.removeAllListeners(keys[i]);
    }
    this.removeAllListeners('removeListener');
    this._events = ObjectCreate(null);
    this._eventsCount = 0;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function listenersOf(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const list = events[type];
  if (list === undefined) return [];
  if (typeof list === 'function') return unwrap ? [list.listener || list] : [list];
  const copy = ArrayPrototypeSlice(list);
  if (unwrap) for (let i = 0; i < copy.length; i++) copy[i] = copy[i].listener || copy[i];
  return copy;
}

EventEmitter.prototype.listeners = function listeners(type) {
  return listenersOf(this, type, true);
};
EventEmitter.prototype.rawListeners = function rawListeners(type) {
  return listenersOf(this, type, false);
};

function listenerCount(type, listener) {
  const events = this._events;
  if (events === undefined) return 0;
  const list = events[type];
  if (list === undefined) return 0;
  if (typeof list === 'function') return listener === undefined || list === listener || list.listener === listener ? 1 : 0;
  if (listener === undefined) return list.length;
  let count = 0;
  for (let i = 0; i < list.length; i++) if (list[i] === listener || list[i].listener === listener) count++;
  return count;
}
EventEmitter.prototype.listenerCount = listenerCount;
EventEmitter.listenerCount = (emitter, type) => (typeof emitter.listenerCount === 'function'
  ? emitter.listenerCount(type) : ReflectApply(listenerCount, emitter, [type]));

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? ReflectOwnKeys(this._events) : [];
};

// events.once(emitter, name): a promise of the arguments of the next `name` event,
// rejected by an 'error' event first. Works with EventTarget too.
// An async function, as in Node, so its promise settles on the same microtask turn.
async function once(emitter, name, options = {}) {
  const signal = options?.signal;
  if (signal?.aborted) throw abortError(signal);
  return new primordials.Promise((resolve, reject) => {
    if (typeof emitter.addEventListener === 'function' && typeof emitter.on !== 'function') {
      emitter.addEventListener(name, (...args) => resolve(args), { once: true });
      return;
    }
    const errorListener = (error) => {
      emitter.removeListener(name, resolver);
      if (signal) signal.removeEventListener('abort', abortListener);
      reject(error);
    };
    const resolver = (...args) => {
      if (name !== 'error') emitter.removeListener('error', errorListener);
      if (signal) signal.removeEventListener('abort', abortListener);
      resolve(args);
    };
    const abortListener = () => {
      emitter.removeListener(name, resolver);
      emitter.removeListener('error', errorListener);
      reject(abortError(signal));
    };
    emitter.once(name, resolver);
    if (name !== 'error') emitter.once('error', errorListener);
    if (signal) signal.addEventListener('abort', abortListener, { once: true });
  });
}

function abortError(signal) {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  error.code = 'ABORT_ERR';
  error.cause = signal?.reason;
  return error;
}

// events.on(emitter, name): an async iterator over `name` events.
function on(emitter, name) {
  const queue = [];
  const waiting = [];
  let failure = null;
  let done = false;
  const push = (...args) => {
    if (waiting.length > 0) ArrayPrototypeSplice(waiting, 0, 1)[0].resolve({ value: args, done: false });
    else ArrayPrototypePush(queue, args);
  };
  const fail = (error) => {
    done = true;
    if (waiting.length > 0) ArrayPrototypeSplice(waiting, 0, 1)[0].reject(error);
    else failure = error;
    iterator.return();
  };
  emitter.on(name, push);
  if (name !== 'error') emitter.on('error', fail);
  const iterator = {
    next() {
      if (queue.length > 0) return resolvedPromise({ value: ArrayPrototypeSplice(queue, 0, 1)[0], done: false });
      if (failure !== null) {
        const error = failure;
        failure = null;
        return rejectedPromise(error);
      }
      if (done) return resolvedPromise({ value: undefined, done: true });
      return new primordials.Promise((resolve, reject) => ArrayPrototypePush(waiting, { resolve, reject }));
    },
    return() {
      emitter.removeListener(name, push);
      emitter.removeListener('error', fail);
      done = true;
      for (let i = 0; i < waiting.length; i++) waiting[i].resolve({ value: undefined, done: true });
      waiting.length = 0;
      return resolvedPromise({ value: undefined, done: true });
    },
    throw(error) {
      fail(error);
      return rejectedPromise(error);
    },
    [primordials.SymbolAsyncIterator]() {
      return this;
    },
  };
  return iterator;
}

function getEventListeners(emitter, name) {
  if (typeof emitter.listeners === 'function') return emitter.listeners(name);
  if (typeof internals.eventTargetListeners === 'function') return internals.eventTargetListeners(emitter, name);
  return [];
}

function setMaxListeners(n = defaultMaxListeners, ...targets) {
  if (targets.length === 0) {
    EventEmitter.defaultMaxListeners = n;
    return;
  }
  for (let i = 0; i < targets.length; i++) {
    if (typeof targets[i].setMaxListeners === 'function') targets[i].setMaxListeners(n);
  }
}

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;
EventEmitter.captureRejectionSymbol = kRejection;
ObjectDefineProperty(EventEmitter, 'captureRejections', { value: false, writable: true, enumerable: true });
EventEmitter.errorMonitor = errorMonitor;
EventEmitter.once = once;
EventEmitter.on = on;
EventEmitter.getEventListeners = getEventListeners;
EventEmitter.setMaxListeners = setMaxListeners;

module.exports = EventEmitter;
