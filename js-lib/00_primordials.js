'use strict';

// Captures the built-ins the library relies on before any user code runs, so a script
// that patches Array.prototype or replaces JSON cannot break console or process.
// Names follow Node's primordials: `ArrayPrototypeJoin(array, ', ')` is
// `Array.prototype.join` called with `array` as `this`; `ObjectKeys` is `Object.keys`;
// `SymbolIterator` is `Symbol.iterator`.

const { bind, call } = Function.prototype;
const uncurryThis = bind.bind(call);
primordials.uncurryThis = uncurryThis;

const ReflectOwnKeys = Reflect.ownKeys;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;

function capitalize(name) {
  return name[0].toUpperCase() + name.slice(1);
}

function copyStatics(prefix, source) {
  for (const key of ReflectOwnKeys(source)) {
    if (typeof key !== 'string' || key === 'prototype' || key === 'length' || key === 'name') continue;
    const descriptor = ObjectGetOwnPropertyDescriptor(source, key);
    if ('value' in descriptor) primordials[prefix + capitalize(key)] = descriptor.value;
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
      primordials[`${prefix}Prototype${name}`] = uncurryThis(descriptor.value);
    } else if (typeof descriptor.get === 'function') {
      primordials[`${prefix}PrototypeGet${name}`] = uncurryThis(descriptor.get);
    }
  }
}

// Namespaces: only their functions and constants.
for (const [name, namespace] of [['JSON', JSON], ['Math', Math], ['Reflect', Reflect]]) {
  copyStatics(name, namespace);
}

// Constructors: the constructor itself, its statics and its prototype methods.
const constructors = [
  AggregateError, Array, ArrayBuffer, BigInt, BigInt64Array, BigUint64Array, Boolean, DataView, Date,
  Error, EvalError, Float32Array, Float64Array, Function, Int16Array, Int32Array, Int8Array, Map,
  Number, Object, Promise, RangeError, ReferenceError, RegExp, Set, SharedArrayBuffer, String,
  Symbol, SyntaxError, TypeError, Uint16Array, Uint32Array, Uint8Array, Uint8ClampedArray, URIError,
  WeakMap, WeakRef, WeakSet,
];
for (const constructor of constructors) {
  primordials[constructor.name] = constructor;
  copyStatics(constructor.name, constructor);
  copyPrototype(constructor.name, constructor.prototype);
}

// %TypedArray% has no global name; its methods and getters (length, Symbol.toStringTag)
// are shared by every typed array: TypedArrayPrototypeSubarray(bytes, 1, 2).
const TypedArray = Reflect.getPrototypeOf(Uint8Array);
primordials.TypedArray = TypedArray;
copyStatics('TypedArray', TypedArray);
copyPrototype('TypedArray', TypedArray.prototype);
primordials.Proxy = Proxy;

// Global functions the library calls.
for (const fn of [decodeURIComponent, encodeURIComponent, isFinite, isNaN, parseFloat, parseInt]) {
  primordials[fn.name] = fn;
}

Object.freeze(primordials);
