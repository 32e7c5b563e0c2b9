'use strict';

// EventTarget and Event (DOM Standard §2), as Node has them: no tree, so dispatch only
// reaches the target's own listeners; listener options once, capture, passive and
// signal; an error thrown by a listener is reported as an uncaught exception after the
// dispatch, and the other listeners still run.

const {
  ArrayPrototypePush, ArrayPrototypeSlice, ArrayPrototypeSplice, MapPrototypeGet, MapPrototypeSet, ObjectDefineProperties,
  ReflectApply, SymbolToStringTag,
} = primordials;
const { codes } = require('internal/errors');

const kInspect = primordials.SymbolFor('nodejs.util.inspect.custom');
const kListeners = primordials.Symbol('listeners');
let timeOrigin;

function eventTime() {
  // Event.timeStamp is relative to performance.timeOrigin.
  if (timeOrigin === undefined) timeOrigin = require('perf_hooks').performance;
  return timeOrigin.now();
}

class Event {
  #type;
  #bubbles;
  #cancelable;
  #composed;
  #defaultPrevented = false;
  #timeStamp;
  #propagationStopped = false;
  #inPassiveListener = false;
  target = null;
  currentTarget = null;
  #dispatching = false;

  constructor(type, options = undefined) {
    if (arguments.length === 0) throw codes.ERR_MISSING_ARGS('type');
    this.#type = `${type}`;
    this.#bubbles = Boolean(options?.bubbles);
    this.#cancelable = Boolean(options?.cancelable);
    this.#composed = Boolean(options?.composed);
    this.#timeStamp = eventTime();
  }

  static setPassive(event, passive) {
    event.#inPassiveListener = passive;
  }

  static setDispatching(event, dispatching) {
    event.#dispatching = dispatching;
  }

  static isDispatching(event) {
    return event.#dispatching;
  }

  static propagationStopped(event) {
    return event.#propagationStopped;
  }

  get type() {
    return this.#type;
  }

  get bubbles() {
    return this.#bubbles;
  }

  get cancelable() {
    return this.#cancelable;
  }

  get composed() {
    return this.#composed;
  }

  get defaultPrevented() {
    return this.#cancelable && this.#defaultPrevented;
  }

  get timeStamp() {
    return this.#timeStamp;
  }

  get isTrusted() {
    return false;
  }

  get eventPhase() {
    return this.#dispatching ? 2 : 0;
  }

  get srcElement() {
    return this.target;
  }

  get returnValue() {
    return !this.defaultPrevented;
  }

  get cancelBubble() {
    return this.#propagationStopped;
  }

  set cancelBubble(value) {
    if (value) this.#propagationStopped = true;
  }

  composedPath() {
    return this.#dispatching ? [this.currentTarget] : [];
  }

  preventDefault() {
    if (!this.#inPassiveListener) this.#defaultPrevented = true;
  }

  stopPropagation() {
    this.#propagationStopped = true;
  }

  stopImmediatePropagation() {
    this.#propagationStopped = true;
  }

  [kInspect](depth, options, inspect) {
    const name = this.constructor.name;
    if (depth < 0) return name;
    return `${name} ${inspect({
      type: this.#type, defaultPrevented: this.defaultPrevented, cancelable: this.#cancelable,
      timeStamp: this.#timeStamp,
    }, { ...options, depth: options.depth === null ? null : options.depth - 1 })}`;
  }
}
ObjectDefineProperties(Event.prototype, {
  [SymbolToStringTag]: { value: 'Event', configurable: true },
  type: { enumerable: true }, bubbles: { enumerable: true }, cancelable: { enumerable: true },
  defaultPrevented: { enumerable: true }, timeStamp: { enumerable: true }, isTrusted: { enumerable: true },
});
Event.NONE = 0;
Event.CAPTURING_PHASE = 1;
Event.AT_TARGET = 2;
Event.BUBBLING_PHASE = 3;

function reportListenerError(error) {
  // Like a throw from a callback: the program's uncaught exception path takes it.
  if (typeof process.nextTick === 'function') {
    process.nextTick(() => {
      throw error;
    });
  } else {
    primordials.PromisePrototypeThen(new primordials.Promise((resolve) => resolve()), () => {
      throw error;
    });
  }
}

function normalizeOptions(options) {
  if (typeof options === 'boolean') return { capture: options, once: false, passive: false, signal: undefined };
  return {
    capture: Boolean(options?.capture),
    once: Boolean(options?.once),
    passive: Boolean(options?.passive),
    signal: options?.signal,
  };
}

class EventTarget {
  constructor() {
    this[kListeners] = new primordials.Map();
  }

  addEventListener(type, listener, options = undefined) {
    if (arguments.length < 2) throw codes.ERR_MISSING_ARGS('type', 'listener');
    if (listener === null || listener === undefined) return;
    const { capture, once, passive, signal } = normalizeOptions(options);
    if (signal?.aborted) return;
    type = `${type}`;
    let list = MapPrototypeGet(this[kListeners], type);
    if (list === undefined) {
      list = [];
      MapPrototypeSet(this[kListeners], type, list);
    }
    for (let i = 0; i < list.length; i++) {
      if (list[i].listener === listener && list[i].capture === capture) return;
    }
    const record = { listener, capture, once, passive, removed: false };
    ArrayPrototypePush(list, record);
    if (signal !== undefined) {
      signal.addEventListener('abort', () => this.removeEventListener(type, listener, { capture }), { once: true });
    }
  }

  removeEventListener(type, listener, options = undefined) {
    const list = MapPrototypeGet(this[kListeners], `${type}`);
    if (list === undefined) return;
    const capture = typeof options === 'boolean' ? options : Boolean(options?.capture);
    for (let i = 0; i < list.length; i++) {
      if (list[i].listener === listener && list[i].capture === capture) {
        list[i].removed = true;
        ArrayPrototypeSplice(list, i, 1);
        return;
      }
    }
  }

  dispatchEvent(event) {
    if (!(event instanceof Event)) throw codes.ERR_INVALID_ARG_TYPE('event', 'Event', event);
    if (Event.isDispatching(event)) {
      const { DOMException } = require('internal/dom_exception');
      throw new DOMException('The event is already being dispatched', 'InvalidStateError');
    }
    const list = MapPrototypeGet(this[kListeners], event.type);
    event.target = this;
    event.currentTarget = this;
    Event.setDispatching(event, true);
    if (list !== undefined) {
      const snapshot = ArrayPrototypeSlice(list);
      for (let i = 0; i < snapshot.length; i++) {
        const record = snapshot[i];
        if (record.removed) continue;
        if (record.once) this.removeEventListener(event.type, record.listener, { capture: record.capture });
        Event.setPassive(event, record.passive);
        try {
          const { listener } = record;
          if (typeof listener === 'function') ReflectApply(listener, this, [event]);
          else if (typeof listener?.handleEvent === 'function') ReflectApply(listener.handleEvent, listener, [event]);
        } catch (error) {
          reportListenerError(error);
        }
        Event.setPassive(event, false);
        if (Event.propagationStopped(event)) break;
      }
    }
    Event.setDispatching(event, false);
    event.currentTarget = null;
    return !event.defaultPrevented;
  }

  [kInspect](depth, options, inspect) {
    return `${this.constructor.name} {}`;
  }
}
ObjectDefineProperties(EventTarget.prototype, {
  [SymbolToStringTag]: { value: 'EventTarget', configurable: true },
});

// events.getEventListeners(target, type) for EventTargets.
internals.eventTargetListeners = (target, type) => {
  const list = target[kListeners] === undefined ? undefined : MapPrototypeGet(target[kListeners], `${type}`);
  const listeners = [];
  if (list !== undefined) for (let i = 0; i < list.length; i++) ArrayPrototypePush(listeners, list[i].listener);
  return listeners;
};

module.exports = { Event, EventTarget };
