'use strict';

// `util/types`: type checks by internal slot (built-in getters and methods that only
// work on the real thing), so they see through subclasses and Symbol.toStringTag
// tricks the way Node's native checks do for the common cases.
// FIXME: isProxy and isExternal need V8's Value::IsProxy/IsExternal; they return false.

const {
  ArrayBufferIsView, ObjectGetOwnPropertyDescriptor, ObjectPrototypeToString,
  TypedArrayPrototypeGetSymbolToStringTag,
} = primordials;

// `method` is an uncurried primordial (this value first) or a raw getter/method.
function hasSlot(method, value) {
  try {
    method(value);
    return true;
  } catch {
    return false;
  }
}

const uncurry = primordials.uncurryThis;
const getter = (prototype, name) => ObjectGetOwnPropertyDescriptor(prototype, name).get;
const mapSize = uncurry(getter(primordials.Map.prototype, 'size'));
const setSize = uncurry(getter(primordials.Set.prototype, 'size'));
const arrayBufferLength = uncurry(getter(primordials.ArrayBuffer.prototype, 'byteLength'));
const sharedArrayBufferLength = uncurry(getter(primordials.SharedArrayBuffer.prototype, 'byteLength'));
const dataViewLength = uncurry(getter(primordials.DataView.prototype, 'byteLength'));
const weakMapHas = primordials.WeakMapPrototypeHas;
const weakSetHas = primordials.WeakSetPrototypeHas;

const tagOf = (value) => ObjectPrototypeToString(value);
const isObject = (value) => value !== null && (typeof value === 'object' || typeof value === 'function');
const typedArrayTag = (value) => (ArrayBufferIsView(value) ? TypedArrayPrototypeGetSymbolToStringTag(value) : undefined);
const hasSlotWith = (method, value, argument) => {
  try {
    method(value, argument);
    return true;
  } catch {
    return false;
  }
};

const types = {
  isDate: (value) => isObject(value) && hasSlot(primordials.DatePrototypeGetTime, value),
  isRegExp: (value) => isObject(value) && hasSlotWith(primordials.RegExpPrototypeExec, value, ''),
  isMap: (value) => isObject(value) && hasSlot(mapSize, value),
  isSet: (value) => isObject(value) && hasSlot(setSize, value),
  isWeakMap: (value) => isObject(value) && hasSlotWith(weakMapHas, value, {}),
  isWeakSet: (value) => isObject(value) && hasSlotWith(weakSetHas, value, {}),
  isPromise: (value) => isObject(value) && tagOf(value) === '[object Promise]',
  isArrayBuffer: (value) => isObject(value) && hasSlot(arrayBufferLength, value),
  isSharedArrayBuffer: (value) => isObject(value) && hasSlot(sharedArrayBufferLength, value),
  isAnyArrayBuffer: (value) => types.isArrayBuffer(value) || types.isSharedArrayBuffer(value),
  isArrayBufferView: (value) => ArrayBufferIsView(value),
  isDataView: (value) => isObject(value) && hasSlot(dataViewLength, value),
  isTypedArray: (value) => typedArrayTag(value) !== undefined,
  isUint8Array: (value) => typedArrayTag(value) === 'Uint8Array',
  isUint8ClampedArray: (value) => typedArrayTag(value) === 'Uint8ClampedArray',
  isUint16Array: (value) => typedArrayTag(value) === 'Uint16Array',
  isUint32Array: (value) => typedArrayTag(value) === 'Uint32Array',
  isInt8Array: (value) => typedArrayTag(value) === 'Int8Array',
  isInt16Array: (value) => typedArrayTag(value) === 'Int16Array',
  isInt32Array: (value) => typedArrayTag(value) === 'Int32Array',
  isFloat32Array: (value) => typedArrayTag(value) === 'Float32Array',
  isFloat64Array: (value) => typedArrayTag(value) === 'Float64Array',
  isBigInt64Array: (value) => typedArrayTag(value) === 'BigInt64Array',
  isBigUint64Array: (value) => typedArrayTag(value) === 'BigUint64Array',
  isNativeError: (value) => isObject(value) && tagOf(value) === '[object Error]',
  isAsyncFunction: (value) => typeof value === 'function'
    && (tagOf(value) === '[object AsyncFunction]' || tagOf(value) === '[object AsyncGeneratorFunction]'),
  isGeneratorFunction: (value) => typeof value === 'function'
    && (tagOf(value) === '[object GeneratorFunction]' || tagOf(value) === '[object AsyncGeneratorFunction]'),
  isGeneratorObject: (value) => isObject(value) && tagOf(value) === '[object Generator]',
  isMapIterator: (value) => isObject(value) && tagOf(value) === '[object Map Iterator]',
  isSetIterator: (value) => isObject(value) && tagOf(value) === '[object Set Iterator]',
  isNumberObject: (value) => isObject(value) && hasSlot(primordials.NumberPrototypeValueOf, value),
  isStringObject: (value) => isObject(value) && hasSlot(primordials.StringPrototypeValueOf, value),
  isBooleanObject: (value) => isObject(value) && hasSlot(primordials.BooleanPrototypeValueOf, value),
  isBigIntObject: (value) => isObject(value) && hasSlot(primordials.BigIntPrototypeValueOf, value),
  isSymbolObject: (value) => isObject(value) && hasSlot(primordials.SymbolPrototypeValueOf, value),
  isBoxedPrimitive: (value) => types.isNumberObject(value) || types.isStringObject(value)
    || types.isBooleanObject(value) || types.isBigIntObject(value) || types.isSymbolObject(value),
  isModuleNamespaceObject: (value) => isObject(value) && tagOf(value) === '[object Module]',
  isArgumentsObject: (value) => isObject(value) && tagOf(value) === '[object Arguments]',
  isProxy: () => false,
  isExternal: () => false,
  isKeyObject: () => false,
  isCryptoKey: () => false,
};

module.exports = types;
