'use strict';

// Captures the built-ins the library relies on before any user code runs, so a script
// that patches Array.prototype or replaces JSON cannot break console or process.
// Names follow Node's primordials: `ArrayPrototypeJoin(array, ', ')` is
// `Array.prototype.join` called with `array` as `this`; `ObjectKeys` is `Object.keys`;
// `SymbolIterator` is `Symbol.iterator`.
//
// Captured twice: while the library bootstraps, and again at run start, before user
// code, for whatever was missing the first time. When the bootstrap runs to make the
// startup snapshot, V8 leaves out of the context what it installs only on contexts it
// does not serialize (its shipped "harmony" features): SharedArrayBuffer, Atomics,
// WebAssembly, Array.prototype.at/findLast/findLastIndex, String.prototype.at,
// Object.hasOwn, the %TypedArray% ones and Error.stackTraceLimit. The restored context
// has them, so they join primordials at run start, and primordials is frozen only
// then. Bootstrap files read primordials when they load, so they must not rely on
// those; library modules (lib/) load after run start and see them all.

const { bind, call } = Function.prototype;
const uncurryThis = bind.bind(call);
primordials.uncurryThis = uncurryThis;

const ReflectOwnKeys = Reflect.ownKeys;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;

function capitalize(name) {
  return name[0].toUpperCase() + name.slice(1);
}

// Only what is not there yet: the second capture adds, never replaces.
function define(name, value) {
  if (!(name in primordials)) primordials[name] = value;
}

function copyStatics(prefix, source) {
  for (const key of ReflectOwnKeys(source)) {
    if (typeof key !== 'string' || key === 'prototype' || key === 'length' || key === 'name') continue;
    const descriptor = ObjectGetOwnPropertyDescriptor(source, key);
    if ('value' in descriptor) define(prefix + capitalize(key), descriptor.value);
  }
}

function copyPrototype(prefix, prototype) {
  for (const key of ReflectOwnKeys(prototype)) {
    if (key === 'constructor') continue;
    // Well-known symbols get "Symbol" names: RegExp.prototype[Symbol.replace] is
    // RegExpPrototypeSymbolReplace.
    const name = typeof key === 'symbol' ? `Symbol${capitalize(key.description.slice(7))}` : capitalize(key);
    const descriptor = ObjectGetOwnPropertyDescriptor(prototype, key);
    if (typeof descriptor.value === 'function') {
      define(`${prefix}Prototype${name}`, uncurryThis(descriptor.value));
    } else if (typeof descriptor.get === 'function') {
      define(`${prefix}PrototypeGet${name}`, uncurryThis(descriptor.get));
    }
  }
}

function capture() {
  // Namespaces: only their functions and constants.
  for (const name of ['JSON', 'Math', 'Reflect']) {
    if (globalThis[name] !== undefined) copyStatics(name, globalThis[name]);
  }

  // Constructors: the constructor itself, its statics and its prototype methods.
  const constructors = [
    'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView',
    'Date', 'Error', 'EvalError', 'Float32Array', 'Float64Array', 'Function', 'Int16Array', 'Int32Array',
    'Int8Array', 'Map', 'Number', 'Object', 'Promise', 'RangeError', 'ReferenceError', 'RegExp', 'Set',
    'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError', 'TypeError', 'Uint16Array', 'Uint32Array',
    'Uint8Array', 'Uint8ClampedArray', 'URIError', 'WeakMap', 'WeakRef', 'WeakSet',
  ];
  for (const name of constructors) {
    const constructor = globalThis[name];
    if (constructor === undefined) continue;
    define(name, constructor);
    copyStatics(name, constructor);
    copyPrototype(name, constructor.prototype);
  }

  // %TypedArray% has no global name; its methods and getters (length, Symbol.toStringTag)
  // are shared by every typed array: TypedArrayPrototypeSubarray(bytes, 1, 2).
  const TypedArray = Reflect.getPrototypeOf(Uint8Array);
  define('TypedArray', TypedArray);
  copyStatics('TypedArray', TypedArray);
  copyPrototype('TypedArray', TypedArray.prototype);
  define('Proxy', Proxy);

  // Global functions the library calls.
  for (const fn of [decodeURIComponent, encodeURIComponent, isFinite, isNaN, parseFloat, parseInt]) {
    define(fn.name, fn);
  }
}

capture();

// Called first thing at run start (05_run_start.js).
internals.completePrimordials = function completePrimordials() {
  capture();
  Object.freeze(primordials);
};
