'use strict';

// globalThis.process: the Node API surface we have so far, built on
// internalBinding('process'). Policy (argument handling, exit code rules) lives here;
// the binding only writes bytes, reports launch facts and ends the program.

const {
  ObjectDefineProperty, ObjectFreeze, ReflectDefineProperty, ReflectDeleteProperty,
  ReflectSet, StringPrototypeIndexOf, StringPrototypeSlice,
} = primordials;
const binding = internalBinding('process');

// process.exitCode is mirrored into exitCodeField (native memory, handed out at run
// start), which the runtime reads when the program ends normally. Like Node 18,
// anything integer-like is accepted.
let exitCode;
let exitCodeField;
function exitStatusOf(code) {
  return code === undefined || code === null ? 0 : (code | 0);
}

// process.env: a snapshot of environ whose values are always strings, as in Node.
function makeEnv(entries) {
  const values = {};
  for (const entry of entries) {
    const equals = StringPrototypeIndexOf(entry, '=');
    if (equals <= 0) continue;
    const name = StringPrototypeSlice(entry, 0, equals);
    if (!(name in values)) values[name] = StringPrototypeSlice(entry, equals + 1);
  }
  return new primordials.Proxy(values, {
    set(target, name, value) {
      return typeof name === 'symbol' ? ReflectSet(target, name, value) : ReflectSet(target, name, `${value}`);
    },
    defineProperty(target, name, descriptor) {
      if ('value' in descriptor && typeof name !== 'symbol') descriptor.value = `${descriptor.value}`;
      return ReflectDefineProperty(target, name, descriptor);
    },
    deleteProperty(target, name) {
      return ReflectDeleteProperty(target, name);
    },
  });
}

// Minimal stdout/stderr: enough for process.stdout.write(). Errors (EPIPE...) throw.
// FIXME: become real Writable streams once js-lib has streams and runtime/loop exists.
function makeStdioStream(fd) {
  return ObjectFreeze({
    fd,
    isTTY: false,
    write(chunk, encoding, callback) {
      if (typeof encoding === 'function') callback = encoding;
      binding.write(fd, typeof chunk === 'string' ? chunk : `${chunk}`);
      if (typeof callback === 'function') callback();
      return true;
    },
  });
}

// argv, execPath, env and pid belong to one run: filled in at run start (they are
// listed here to keep Node's key order).
const process = {
  argv: undefined,
  argv0: 'kiln-runtime',
  execPath: undefined,
  env: undefined,
  platform: 'linux',
  arch: 'x64',
  pid: undefined,
  stdout: makeStdioStream(1),
  stderr: makeStdioStream(2),
  cwd() {
    return binding.cwd();
  },
  exit(code) {
    if (code !== undefined) process.exitCode = code;
    // 'exit' listeners run first, once (js-lib/45_process_events.js).
    internals.emitProcessExit();
    binding.reallyExit(exitStatusOf(process.exitCode));
  },
};

ObjectDefineProperty(process, 'exitCode', {
  enumerable: true,
  configurable: false,
  get() {
    return exitCode;
  },
  set(code) {
    exitCode = code;
    exitCodeField[0] = exitStatusOf(code);
  },
});

internals.atRunStart(() => {
  const launch = binding.launch();
  process.argv = launch.argv;
  process.execPath = launch.execPath;
  process.env = makeEnv(launch.environ);
  process.pid = launch.pid;
  exitCodeField = launch.exitCodeField;
});

ObjectDefineProperty(globalThis, 'process', {
  value: process, writable: true, configurable: true, enumerable: false,
});
ObjectDefineProperty(globalThis, 'global', {
  value: globalThis, writable: true, configurable: true, enumerable: false,
});
