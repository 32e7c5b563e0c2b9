'use strict';

// globalThis.console: Node's console on stdout (log, info, debug, dir) and stderr (error,
// warn, trace). Writes are synchronous, through internalBinding('process').write.

const {
  ArrayPrototypeUnshift, ErrorCaptureStackTrace, MapPrototypeGet, MapPrototypeSet, ObjectDefineProperty,
  RegExpPrototypeSymbolReplace, StringPrototypeSlice,
} = primordials;
const { format, inspect } = internals;
const { write } = internalBinding('process');

const kStdout = 1;
const kStderr = 2;
let groupIndentation = '';
const counts = new primordials.Map();

function print(fd, text) {
  const indented = groupIndentation === ''
    ? text
    : groupIndentation + RegExpPrototypeSymbolReplace(/\n/g, text, `\n${groupIndentation}`);
  try {
    write(fd, `${indented}\n`);
  } catch {
    // Node's global console ignores errors on its streams (a closed pipe must not
    // crash the program that merely logs); process.stdout.write does report them.
  }
}

const console = {
  log(...args) { print(kStdout, format(...args)); },
  error(...args) { print(kStderr, format(...args)); },
  dir(value, options) { print(kStdout, inspect(value, options)); },
  assert(condition, ...args) {
    if (condition) return;
    if (typeof args[0] === 'string') args[0] = `Assertion failed: ${args[0]}`;
    else ArrayPrototypeUnshift(args, 'Assertion failed');
    print(kStderr, format(...args));
  },
  trace(...args) {
    const error = { name: 'Trace', message: format(...args) };
    ErrorCaptureStackTrace(error, console.trace);
    print(kStderr, error.stack);
  },
  group(...args) {
    if (args.length > 0) console.log(...args);
    groupIndentation += '  ';
  },
  groupEnd() {
    groupIndentation = StringPrototypeSlice(groupIndentation, 0, -2);
  },
  count(label = 'default') {
    const count = (MapPrototypeGet(counts, `${label}`) ?? 0) + 1;
    MapPrototypeSet(counts, `${label}`, count);
    console.log(`${label}: ${count}`);
  },
  countReset(label = 'default') {
    MapPrototypeSet(counts, `${label}`, 0);
  },
};
console.info = console.log;
console.debug = console.log;
console.warn = console.error;
console.dirxml = console.log;
console.groupCollapsed = console.group;

// FIXME: time/timeEnd (need a monotonic clock binding) and table.
function notImplemented(name) {
  return () => {
    const error = new primordials.Error(`console.${name}() is not implemented in Kiln yet`);
    error.code = 'ERR_NOT_IMPLEMENTED';
    throw error;
  };
}
for (const name of ['time', 'timeEnd', 'timeLog', 'table']) console[name] = notImplemented(name);

// Like Node's, console is a writable, configurable, non-enumerable global.
ObjectDefineProperty(globalThis, 'console', {
  value: console, writable: true, configurable: true, enumerable: false,
});
