'use strict';

// setTimeout, setInterval, setImmediate and their clear* functions, as in Node
// (lib/timers.js, lib/internal/timers.js).
//
// Each scheduled Timeout owns one native TimerHandle (internalBinding('timers')), a
// loop Timer; the loop orders timers by deadline, then by start order, and runs the
// nextTick queue and microtasks after each callback. A handle exists only while its
// Timeout is scheduled: it is closed when the timeout fires for the last time or is
// cleared, and made again by refresh().
//
// Immediates live in a JS queue that the native check handle drains once per loop
// iteration; immediates queued while it runs wait for the next iteration.
//
// Shares internals.timers (the `timers` module's exports) and internals.timerInternals.

const {
  MathCeil, ObjectDefineProperty, ReflectApply, Symbol, SymbolToPrimitive,
} = primordials;
const { TimerHandle, setupTimers, toggleImmediateRef, getLoopTime } = internalBinding('timers');
const { runNextTicks } = internals.taskQueues;

// Node's limit: delays outside [1, 2^31 - 1] (and NaN) become 1 ms.
const TIMEOUT_MAX = 2 ** 31 - 1;

// immediateInfo fields, as in bindings/timers.cpp. The array is over native memory
// the check handle reads, handed out by setupTimers() at run start.
let immediateInfo;
const kCount = 0;
const kRefCount = 1;
const kHasOutstanding = 2;

const kHandle = Symbol('kHandle');
const kRefed = Symbol('kRefed');
const kScheduled = Symbol('kScheduled');
const kId = Symbol('kId');
const kHasPrimitive = Symbol('kHasPrimitive');

function invalidCallback(value) {
  const { codes } = internals.requireBuiltin('internal/errors');
  return codes.ERR_INVALID_ARG_TYPE('callback', 'function', value);
}

// Timeouts whose id was taken with Symbol.toPrimitive (`+timeout`), so that
// clearTimeout(id) finds them.
const knownTimersById = { __proto__: null };
let nextTimerId = 1;

let warnedAboutOverflow = false;
function warnTimeoutOverflow(after) {
  const message = `${after} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`;
  if (typeof process.emitWarning === 'function') {
    process.emitWarning(message, 'TimeoutOverflowWarning');
  } else if (!warnedAboutOverflow) {
    warnedAboutOverflow = true;
    internalBinding('process').write(2, `(node:${process.pid}) TimeoutOverflowWarning: ${message}\n`);
  }
}

function timerDelay(after) {
  after *= 1;
  if (!(after >= 1 && after <= TIMEOUT_MAX)) {
    if (after > TIMEOUT_MAX) warnTimeoutOverflow(after);
    after = 1;
  }
  return after;
}

class Timeout {
  constructor(callback, after, args, isRepeat, isRefed) {
    after = timerDelay(after);
    this._idleTimeout = after;
    this._idleStart = null;
    this._onTimeout = callback;
    this._timerArgs = args;
    this._repeat = isRepeat ? after : null;
    this._destroyed = false;
    this[kRefed] = isRefed;
    this[kHasPrimitive] = false;
    this[kId] = nextTimerId++;
    this[kHandle] = null;
    this[kScheduled] = false;
  }

  // Starts the delay again from now (the loop's cached now); re-arms a timeout that
  // already fired, but not one that was cleared.
  refresh() {
    if (this._idleTimeout >= 0) schedule(this);
    return this;
  }

  unref() {
    this[kRefed] = false;
    if (this[kHandle] !== null) this[kHandle].unref();
    return this;
  }

  ref() {
    this[kRefed] = true;
    if (this[kHandle] !== null) this[kHandle].ref();
    return this;
  }

  hasRef() {
    return this[kRefed];
  }

  close() {
    clearTimeout(this);
    return this;
  }

  [SymbolToPrimitive]() {
    const id = this[kId];
    if (!this[kHasPrimitive]) {
      this[kHasPrimitive] = true;
      knownTimersById[id] = this;
    }
    return id;
  }
}

function schedule(timeout) {
  let handle = timeout[kHandle];
  if (handle === null) {
    handle = new TimerHandle(timeout);
    if (!timeout[kRefed]) handle.unref();
    timeout[kHandle] = handle;
  }
  timeout._idleStart = getLoopTime();
  timeout._destroyed = false;
  timeout[kScheduled] = true;
  // The loop counts whole milliseconds; a fractional delay must not fire early.
  const repeat = timeout._repeat === null ? 0 : MathCeil(timeout._repeat);
  handle.start(MathCeil(timeout._idleTimeout), repeat);
}

// The timeout will not fire again: free its native handle.
function retire(timeout) {
  timeout[kScheduled] = false;
  timeout._destroyed = true;
  if (timeout[kHandle] !== null) {
    timeout[kHandle].close();
    timeout[kHandle] = null;
  }
  if (timeout[kHasPrimitive]) delete knownTimersById[timeout[kId]];
}

// Called by the native handle when `timeout` is due.
function onTimeout(timeout) {
  if (timeout._repeat === null) timeout[kScheduled] = false;
  else timeout._idleStart = getLoopTime();
  try {
    const args = timeout._timerArgs;
    if (args === undefined) timeout._onTimeout();
    else ReflectApply(timeout._onTimeout, timeout, args);
  } finally {
    // Still scheduled if it repeats or the callback called refresh().
    if (!timeout[kScheduled]) retire(timeout);
  }
}

function restArguments(args, from) {
  if (args.length <= from) return undefined;
  const rest = [];
  for (let i = from; i < args.length; i++) rest[rest.length] = args[i];
  return rest;
}

function setTimeout(callback, after) {
  if (typeof callback !== 'function') throw invalidCallback(callback);
  const timeout = new Timeout(callback, after, restArguments(arguments, 2), false, true);
  schedule(timeout);
  return timeout;
}

function setInterval(callback, repeat) {
  if (typeof callback !== 'function') throw invalidCallback(callback);
  const timeout = new Timeout(callback, repeat, restArguments(arguments, 2), true, true);
  schedule(timeout);
  return timeout;
}

// Also clears intervals (and clearInterval timeouts), as in Node. Accepts the
// primitive id of a Timeout.
function clearTimeout(timer) {
  if (timer && timer._onTimeout) {
    timer._onTimeout = null;
    timer._idleTimeout = -1;
    retire(timer);
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const timeout = knownTimersById[timer];
    if (timeout !== undefined) {
      timeout._idleTimeout = -1;
      retire(timeout);
    }
  }
}

function clearInterval(timer) {
  clearTimeout(timer);
}

// A doubly linked list of Immediates through _idlePrev/_idleNext, as in Node.
class ImmediateList {
  constructor() {
    this.head = null;
    this.tail = null;
  }

  append(item) {
    if (this.tail !== null) {
      this.tail._idleNext = item;
      item._idlePrev = this.tail;
    } else {
      this.head = item;
    }
    this.tail = item;
  }
}

// New immediates, and the rest of a batch a throwing callback interrupted.
const immediateQueue = new ImmediateList();
const outstandingQueue = new ImmediateList();

function unlinkImmediate(item) {
  if (item._idleNext !== null) item._idleNext._idlePrev = item._idlePrev;
  if (item._idlePrev !== null) item._idlePrev._idleNext = item._idleNext;
  for (const list of [immediateQueue, outstandingQueue]) {
    if (item === list.head) list.head = item._idleNext;
    if (item === list.tail) list.tail = item._idlePrev;
  }
  item._idleNext = null;
  item._idlePrev = null;
}

class Immediate {
  constructor(callback, args) {
    this._idleNext = null;
    this._idlePrev = null;
    this._onImmediate = callback;
    this._argv = args;
    this._destroyed = false;
    this[kRefed] = false;
    this.ref();
    immediateInfo[kCount]++;
    immediateQueue.append(this);
  }

  ref() {
    if (this[kRefed] === false) {
      this[kRefed] = true;
      if (immediateInfo[kRefCount]++ === 0) toggleImmediateRef(true);
    }
    return this;
  }

  unref() {
    if (this[kRefed] === true) {
      this[kRefed] = false;
      if (--immediateInfo[kRefCount] === 0) toggleImmediateRef(false);
    }
    return this;
  }

  hasRef() {
    return !!this[kRefed];
  }
}

// Called by the native check handle: runs the immediates queued before this check
// phase began, with ticks and microtasks drained between them.
function processImmediates() {
  const queue = outstandingQueue.head !== null ? outstandingQueue : immediateQueue;
  let immediate = queue.head;
  // Detach the batch, so setImmediate() from a callback starts the next one.
  if (queue !== outstandingQueue) {
    queue.head = queue.tail = null;
    outstandingQueue.head = immediate;
    immediateInfo[kHasOutstanding] = 1;
  }
  let ranAtLeastOne = false;
  while (immediate !== null) {
    if (ranAtLeastOne) runNextTicks();
    else ranAtLeastOne = true;
    if (immediate._destroyed) {
      immediate = outstandingQueue.head = immediate._idleNext;
      continue;
    }
    immediate._destroyed = true;
    immediateInfo[kCount]--;
    if (immediate[kRefed]) immediateInfo[kRefCount]--;
    immediate[kRefed] = null;
    try {
      const argv = immediate._argv;
      if (argv === undefined) immediate._onImmediate();
      else ReflectApply(immediate._onImmediate, immediate, argv);
    } finally {
      immediate._onImmediate = null;
      // If the callback threw, the rest of the batch runs in the next check phase.
      immediate = outstandingQueue.head = immediate._idleNext;
    }
  }
  outstandingQueue.head = outstandingQueue.tail = null;
  immediateInfo[kHasOutstanding] = 0;
}

function setImmediate(callback) {
  if (typeof callback !== 'function') throw invalidCallback(callback);
  return new Immediate(callback, restArguments(arguments, 1));
}

function clearImmediate(immediate) {
  if (!immediate || immediate._destroyed) return;
  immediateInfo[kCount]--;
  immediate._destroyed = true;
  if (immediate[kRefed] && --immediateInfo[kRefCount] === 0) toggleImmediateRef(false);
  immediate[kRefed] = null;
  immediate._onImmediate = null;
  unlinkImmediate(immediate);
}

internals.atRunStart(() => {
  immediateInfo = setupTimers(onTimeout, processImmediates);
});

const globals = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate };
for (const name in globals) {
  ObjectDefineProperty(globalThis, name, { value: globals[name], writable: true, configurable: true, enumerable: true });
}

// The public `timers` module (js-lib/lib/timers.js), and what timers/promises builds on.
internals.timers = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate };
internals.timerInternals = { Timeout, Immediate, schedule, TIMEOUT_MAX };
