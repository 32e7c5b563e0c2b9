'use strict';

// require('timers/promises'): promise forms of the timers, cancellable with an
// AbortSignal, as in Node's lib/timers/promises.js.

const { Error, FunctionPrototypeBind, Promise, PromisePrototypeFinally } = primordials;
const { Timeout, Immediate, schedule } = internals.timerInternals;
const { clearTimeout, clearInterval, clearImmediate } = internals.timers;
const { codes } = require('internal/errors');

class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

// The options every function here takes: { signal, ref = true }. Returns the error to
// reject with, or the validated values.
function readOptions(options) {
  if (options === null || typeof options !== 'object') {
    return { error: codes.ERR_INVALID_ARG_TYPE('options', 'object', options) };
  }
  const { signal, ref = true } = options;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    return { error: codes.ERR_INVALID_ARG_TYPE('options.signal', 'AbortSignal', signal) };
  }
  if (typeof ref !== 'boolean') return { error: codes.ERR_INVALID_ARG_TYPE('options.ref', 'boolean', ref) };
  if (signal !== undefined && signal.aborted) return { error: new AbortError(undefined, { cause: signal.reason }) };
  return { signal, ref };
}

// primordials.PromiseReject is Promise.reject unbound, so it cannot be called bare.
function rejected(error) {
  return new Promise((resolve, reject) => reject(error));
}

function onAbort(clear, reject, signal) {
  if (!this._destroyed) {
    clear(this);
    reject(new AbortError(undefined, { cause: signal.reason }));
  }
}

// Settles with `value` once `start(resolve)` fires; `start` returns the timer so an
// abort can clear it with `clear`.
function cancellable(options, start, clear) {
  const { error, signal, ref } = readOptions(options);
  if (error !== undefined) return rejected(error);
  let abortListener;
  const promise = new Promise((resolve, reject) => {
    const timer = start(resolve, ref);
    if (signal !== undefined) {
      abortListener = FunctionPrototypeBind(onAbort, timer, clear, reject, signal);
      signal.addEventListener('abort', abortListener, { once: true });
    }
  });
  if (abortListener === undefined) return promise;
  return PromisePrototypeFinally(promise, () => signal.removeEventListener('abort', abortListener));
}

function setTimeout(after, value, options = {}) {
  return cancellable(options, (resolve, ref) => {
    const timeout = new Timeout(resolve, after, value === undefined ? undefined : [value], false, ref);
    schedule(timeout);
    return timeout;
  }, clearTimeout);
}

function setImmediate(value, options = {}) {
  return cancellable(options, (resolve, ref) => {
    const immediate = new Immediate(resolve, value === undefined ? undefined : [value]);
    if (!ref) immediate.unref();
    return immediate;
  }, clearImmediate);
}

// An async iterator yielding `value` every `after` ms; ticks that come while the
// consumer is busy are not lost, they are yielded back to back.
async function* setInterval(after, value, options = {}) {
  const { error, signal, ref } = readOptions(options);
  if (error !== undefined) throw error;
  let notYielded = 0;
  let wake;
  const interval = new Timeout(() => {
    notYielded++;
    if (wake !== undefined) {
      wake();
      wake = undefined;
    }
  }, after, undefined, true, ref);
  schedule(interval);
  let abortListener;
  if (signal !== undefined) {
    abortListener = () => {
      clearInterval(interval);
      if (wake !== undefined) {
        wake();
        wake = undefined;
      }
    };
    signal.addEventListener('abort', abortListener, { once: true });
  }
  try {
    while (signal === undefined || !signal.aborted) {
      if (notYielded === 0) await new Promise((resolve) => { wake = resolve; });
      for (; notYielded > 0 && (signal === undefined || !signal.aborted); notYielded--) yield value;
    }
    throw new AbortError(undefined, { cause: signal.reason });
  } finally {
    clearInterval(interval);
    if (abortListener !== undefined) signal.removeEventListener('abort', abortListener);
  }
}

// The Scheduling API draft Node implements: scheduler.wait(ms), scheduler.yield().
const scheduler = {
  wait(delay, options) {
    return setTimeout(delay, undefined, options);
  },
  yield() {
    return setImmediate();
  },
};

module.exports = { setTimeout, setImmediate, setInterval, scheduler };
