'use strict';

// process as an event emitter, and the process lifecycle: 'beforeExit', 'exit',
// 'uncaughtException', 'uncaughtExceptionMonitor', 'unhandledRejection', 'warning'.
// bindings/loop_callbacks.cpp calls the hooks registered at the end of this file.
//
// FIXME: process gets a minimal emitter as its prototype until the `events` module
// exists. It stores listeners exactly as Node's EventEmitter does (_events,
// _eventsCount, _maxListeners), so making process a real EventEmitter later is one
// ObjectSetPrototypeOf(processEmitter, EventEmitter.prototype) plus dropping the
// methods below, with no listener lost.

const {
  ArrayPrototypeSlice, ArrayPrototypeSplice, ArrayPrototypeUnshift, Error, ObjectDefineProperty, ObjectKeys, ObjectPrototypeHasOwnProperty, ObjectSetPrototypeOf, ReflectApply,
} = primordials;
const binding = internalBinding('loop');

function invalidListener(value) {
  const { codes } = internals.requireBuiltin('internal/errors');
  return codes.ERR_INVALID_ARG_TYPE('listener', 'function', value);
}

function addListener(target, type, listener, prepend) {
  if (typeof listener !== 'function') throw invalidListener(listener);
  const events = target._events;
  if (events.newListener !== undefined) target.emit('newListener', type, listener.listener ?? listener);
  const existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    target._eventsCount++;
  } else if (typeof existing === 'function') {
    events[type] = prepend ? [listener, existing] : [existing, listener];
  } else if (prepend) {
    ArrayPrototypeUnshift(existing, listener);
  } else {
    existing[existing.length] = listener;
  }
  return target;
}

function onceWrapper(target, type, listener) {
  let fired = false;
  function wrapper(...args) {
    if (fired) return undefined;
    fired = true;
    target.removeListener(type, wrapper);
    return ReflectApply(listener, target, args);
  }
  wrapper.listener = listener;
  return wrapper;
}

const processEmitter = {
  on(type, listener) {
    return addListener(this, type, listener, false);
  },
  prependListener(type, listener) {
    return addListener(this, type, listener, true);
  },
  once(type, listener) {
    if (typeof listener !== 'function') throw invalidListener(listener);
    return addListener(this, type, onceWrapper(this, type, listener), false);
  },
  prependOnceListener(type, listener) {
    if (typeof listener !== 'function') throw invalidListener(listener);
    return addListener(this, type, onceWrapper(this, type, listener), true);
  },
  removeListener(type, listener) {
    if (typeof listener !== 'function') throw invalidListener(listener);
    const events = this._events;
    const list = events[type];
    if (list === undefined) return this;
    if (list === listener || list.listener === listener) {
      delete events[type];
      this._eventsCount--;
    } else if (typeof list !== 'function') {
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === listener || list[i].listener === listener) {
          ArrayPrototypeSplice(list, i, 1);
          if (list.length === 1) events[type] = list[0];
          break;
        }
      }
    } else {
      return this;
    }
    if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
    return this;
  },
  removeAllListeners(type) {
    if (type === undefined) {
      this._events = { __proto__: null };
      this._eventsCount = 0;
    } else if (this._events[type] !== undefined) {
      delete this._events[type];
      this._eventsCount--;
    }
    return this;
  },
  emit(type, ...args) {
    const handler = this._events[type];
    if (handler === undefined) {
      if (type === 'error') {
        const error = args[0];
        if (error instanceof Error) throw error;
        const wrapped = new Error(`Unhandled error. (${internals.inspect(error)})`);
        wrapped.code = 'ERR_UNHANDLED_ERROR';
        wrapped.context = error;
        throw wrapped;
      }
      return false;
    }
    if (typeof handler === 'function') {
      ReflectApply(handler, this, args);
    } else {
      // A copy: listeners added or removed while emitting apply from the next emit.
      const listeners = ArrayPrototypeSlice(handler);
      for (let i = 0; i < listeners.length; i++) ReflectApply(listeners[i], this, args);
    }
    return true;
  },
  listeners(type) {
    const list = this._events[type];
    if (list === undefined) return [];
    if (typeof list === 'function') return [list.listener ?? list];
    const result = [];
    for (let i = 0; i < list.length; i++) result[i] = list[i].listener ?? list[i];
    return result;
  },
  rawListeners(type) {
    const list = this._events[type];
    if (list === undefined) return [];
    return typeof list === 'function' ? [list] : ArrayPrototypeSlice(list);
  },
  listenerCount(type, listener) {
    const list = this._events[type];
    if (list === undefined) return 0;
    const all = typeof list === 'function' ? [list] : list;
    if (listener === undefined) return all.length;
    let count = 0;
    for (let i = 0; i < all.length; i++) if (all[i] === listener || all[i].listener === listener) count++;
    return count;
  },
  eventNames() {
    return ObjectKeys(this._events);
  },
  setMaxListeners(n) {
    this._maxListeners = n;
    return this;
  },
  getMaxListeners() {
    return this._maxListeners === undefined ? 10 : this._maxListeners;
  },
};
processEmitter.addListener = processEmitter.on;
processEmitter.off = processEmitter.removeListener;
for (const name of ObjectKeys(processEmitter)) {
  ObjectDefineProperty(processEmitter, name, { enumerable: false });
}

ObjectSetPrototypeOf(process, processEmitter);
process._events = { __proto__: null };
process._eventsCount = 0;
process._maxListeners = undefined;
ObjectDefineProperty(process, '_exiting', { value: false, writable: true, enumerable: false, configurable: true });

// 'exit' is emitted once, with process.exitCode, whether the loop ran dry or
// process.exit() was called (js-lib/30_process.js calls this first).
function emitExit() {
  if (process._exiting) return;
  process._exiting = true;
  process.emit('exit', process.exitCode || 0);
}

function emitBeforeExit() {
  if (process._exiting) return;
  process.emit('beforeExit', process.exitCode || 0);
}

// Returns true if a listener took the error. Otherwise the program ends: like Node,
// set the exit code and let 'exit' listeners run before the native side prints the
// report.
function handleUncaughtException(error, origin) {
  process.emit('uncaughtExceptionMonitor', error, origin);
  if (process.emit('uncaughtException', error, origin)) return true;
  if (!process._exiting) {
    process._exiting = true;
    process.exitCode = 1;
    try {
      process.emit('exit', 1);
    } catch {
      // The program is ending with the original error; Node ignores this one.
    }
  }
  return false;
}

function isErrorLike(value) {
  return typeof value === 'object' && value !== null && ObjectPrototypeHasOwnProperty(value, 'stack');
}

// Node's error for a rejection with a non-error reason, as 'uncaughtException'
// listeners receive it.
function unhandledRejectionError(reason) {
  const error = new Error('This error originated either by throwing inside of an async function without a catch ' +
    'block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason ' +
    `"${internals.inspect(reason)}".`);
  error.name = 'UnhandledPromiseRejection';
  error.code = 'ERR_UNHANDLED_REJECTION';
  return error;
}

// Node's default --unhandled-rejections=throw: 'unhandledRejection' listeners first,
// then it is an uncaught exception.
function handleUnhandledRejection(promise, reason) {
  if (process.emit('unhandledRejection', reason, promise)) return true;
  return handleUncaughtException(isErrorLike(reason) ? reason : unhandledRejectionError(reason), 'unhandledRejection');
}

// process.emitWarning(warning[, type[, code]]): emits 'warning' on the next tick and,
// like Node without listeners of its own, prints it on stderr.
let printedTraceHint = false;
function emitWarning(warning, type, code) {
  if (type !== null && typeof type === 'object') ({ type, code } = type);
  if (typeof warning === 'string') {
    const error = new Error(warning);
    error.name = typeof type === 'string' ? type : 'Warning';
    if (code !== undefined) error.code = code;
    warning = error;
  }
  process.nextTick(() => {
    process.emit('warning', warning);
    let text = `(node:${process.pid}) ${warning.code ? `[${warning.code}] ` : ''}${warning.name}: ${warning.message}\n`;
    if (!printedTraceHint) {
      printedTraceHint = true;
      text += '(Use `node --trace-warnings ...` to show where the warning was created)\n';
    }
    internalBinding('process').write(2, text);
  });
}
ObjectDefineProperty(process, 'emitWarning', { value: emitWarning, writable: true, configurable: true });

internals.atRunStart(() => {
  binding.setHooks({ handleUncaughtException, handleUnhandledRejection, emitBeforeExit, emitExit });
});
internals.emitProcessExit = emitExit;
