'use strict';

// AbortController and AbortSignal (DOM Standard §3.1-3.2): abort(reason), reason,
// aborted, throwIfAborted, onabort, and the static abort(), timeout() and any().

const { ObjectDefineProperties, SymbolToStringTag } = primordials;
const { EventTarget, Event } = require('internal/event_target');
const { DOMException } = require('internal/dom_exception');
const { codes } = require('internal/errors');

const kInspect = primordials.SymbolFor('nodejs.util.inspect.custom');
const kCreate = primordials.Symbol('create');

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  #onabort = null;

  constructor(key) {
    if (key !== kCreate) throw new primordials.TypeError('Illegal constructor');
    super();
  }

  static create() {
    return new AbortSignal(kCreate);
  }

  static signalAbort(signal, reason) {
    if (signal.#aborted) return;
    signal.#aborted = true;
    signal.#reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    signal.dispatchEvent(new Event('abort'));
  }

  get aborted() {
    return this.#aborted;
  }

  get reason() {
    return this.#reason;
  }

  get onabort() {
    return this.#onabort;
  }

  set onabort(handler) {
    if (this.#onabort !== null) this.removeEventListener('abort', this.#onabort);
    this.#onabort = typeof handler === 'function' ? handler : null;
    if (this.#onabort !== null) this.addEventListener('abort', this.#onabort);
  }

  throwIfAborted() {
    if (this.#aborted) throw this.#reason;
  }

  static abort(reason = undefined) {
    const signal = AbortSignal.create();
    AbortSignal.signalAbort(signal, reason);
    return signal;
  }

  static timeout(milliseconds) {
    if (typeof milliseconds !== 'number') throw codes.ERR_INVALID_ARG_TYPE('delay', 'number', milliseconds);
    const signal = AbortSignal.create();
    // An unref'd timer: a pending timeout signal does not keep the program alive.
    const timer = setTimeout(() => {
      AbortSignal.signalAbort(signal, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, milliseconds);
    if (typeof timer?.unref === 'function') timer.unref();
    return signal;
  }

  static any(signals) {
    const signal = AbortSignal.create();
    for (let i = 0; i < signals.length; i++) {
      if (signals[i].aborted) {
        AbortSignal.signalAbort(signal, signals[i].reason);
        return signal;
      }
    }
    for (let i = 0; i < signals.length; i++) {
      const source = signals[i];
      source.addEventListener('abort', () => AbortSignal.signalAbort(signal, source.reason), { once: true });
    }
    return signal;
  }

  [kInspect](depth, options, inspect) {
    return `AbortSignal { aborted: ${this.#aborted} }`;
  }
}
ObjectDefineProperties(AbortSignal.prototype, {
  aborted: { enumerable: true },
  [SymbolToStringTag]: { value: 'AbortSignal', configurable: true },
});

class AbortController {
  #signal = AbortSignal.create();

  get signal() {
    return this.#signal;
  }

  abort(reason = undefined) {
    AbortSignal.signalAbort(this.#signal, reason);
  }

  [kInspect](depth, options, inspect) {
    return `AbortController { signal: ${inspect(this.#signal, options)} }`;
  }
}
ObjectDefineProperties(AbortController.prototype, {
  signal: { enumerable: true },
  abort: { enumerable: true },
  [SymbolToStringTag]: { value: 'AbortController', configurable: true },
});

module.exports = { AbortController, AbortSignal };
