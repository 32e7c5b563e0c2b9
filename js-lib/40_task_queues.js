'use strict';

// process.nextTick, queueMicrotask, and the drain that runs after every callback from
// the event loop (Node's lib/internal/process/task_queues.js): all queued ticks, then
// V8's microtasks, again until both are empty. bindings/loop_callbacks.cpp calls
// processTicks() only when tickInfo says a tick is queued, so the common case (no
// ticks) costs no call into JS.
//
// Shares internals.taskQueues: { nextTick, queueMicrotask, runNextTicks }.

const { ObjectDefineProperty, ReflectApply } = primordials;
const binding = internalBinding('loop');
const { runMicrotasks, enqueueMicrotask, triggerUncaughtException, processRejections } = binding;
// hasTickScheduled, over native memory the loop reads after every callback; per run.
let tickInfo;

const kHasTickScheduled = 0;

function invalidCallback(value) {
  // Loaded lazily: the module system comes up after this file.
  const { codes } = internals.requireBuiltin('internal/errors');
  return codes.ERR_INVALID_ARG_TYPE('callback', 'function', value);
}

// A FIFO of { callback, args }: an array read from `head` and reset when drained, so
// shifting never copies.
let queue = [];
let head = 0;

function nextTick(callback, ...args) {
  if (typeof callback !== 'function') throw invalidCallback(callback);
  // Node drops ticks queued by 'exit' listeners: nothing would ever run them.
  if (process._exiting) return;
  queue[queue.length] = { callback, args: args.length === 0 ? undefined : args };
  tickInfo[kHasTickScheduled] = 1;
}

// Runs every queued tick and then the microtasks, until both stay empty. A tick that
// throws leaves the rest queued (and tickInfo set) for the next drain.
function processTicks() {
  do {
    while (head < queue.length) {
      const tock = queue[head];
      queue[head++] = undefined;
      if (tock.args === undefined) tock.callback();
      else ReflectApply(tock.callback, undefined, tock.args);
    }
    queue = [];
    head = 0;
    runMicrotasks();
  } while (head < queue.length);
  tickInfo[kHasTickScheduled] = 0;
}

// Between two callbacks that one native call runs (immediates), the same drain the
// native side does after a call, unhandled rejections included.
function runNextTicks() {
  do {
    if (tickInfo[kHasTickScheduled] === 0) runMicrotasks();
    if (tickInfo[kHasTickScheduled] !== 0) processTicks();
  } while (processRejections());
}

function queueMicrotask(callback) {
  if (typeof callback !== 'function') throw invalidCallback(callback);
  enqueueMicrotask(() => {
    try {
      callback();
    } catch (error) {
      // A microtask has no caller to throw to: this is an uncaught exception.
      triggerUncaughtException(error);
    }
  });
}

internals.atRunStart(() => {
  tickInfo = binding.tickInfo();
  binding.setHooks({ processTicks });
});

ObjectDefineProperty(process, 'nextTick', { value: nextTick, writable: true, configurable: true, enumerable: true });
ObjectDefineProperty(globalThis, 'queueMicrotask', {
  value: queueMicrotask, writable: true, configurable: true, enumerable: true,
});

internals.taskQueues = { nextTick, queueMicrotask, runNextTicks };
