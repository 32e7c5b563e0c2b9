'use strict';

// Node-style errors made in JS: a `code` property, and "TypeError [CODE]: message" as
// the first line of the stack, as Node's internal NodeError prints it.

const {
  ArrayIsArray, ArrayPrototypeIncludes, ArrayPrototypeJoin, ArrayPrototypeMap, ArrayPrototypePop,
  ArrayPrototypePush, ArrayPrototypeSlice, Error, NumberIsInteger, NumberMAX_SAFE_INTEGER,
  NumberMIN_SAFE_INTEGER, ObjectDefineProperty, RangeError, StringPrototypeIncludes, StringPrototypeSlice,
  TypeError,
} = primordials;

function makeNodeError(Base, code, message) {
  const error = new Base(message);
  // The stack's first line is formatted from `name` when the stack is first read.
  ObjectDefineProperty(error, 'name', {
    value: `${Base.name} [${code}]`, writable: true, enumerable: false, configurable: true,
  });
  error.stack; // eslint-disable-line no-unused-expressions
  delete error.name;
  error.code = code;
  return error;
}

// "1_000_000": how Node prints large numbers in range errors.
function addNumericalSeparator(text) {
  let result = '';
  let i = text.length;
  const start = text[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) result = `_${StringPrototypeSlice(text, i - 3, i)}${result}`;
  return `${StringPrototypeSlice(text, 0, i)}${result}`;
}

// The "Received ..." tail of Node's argument errors.
function describeReceived(value) {
  if (value === null || value === undefined) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name}`;
  if (typeof value === 'object') {
    if (value.constructor && value.constructor.name) return ` Received an instance of ${value.constructor.name}`;
    return ` Received ${internals.inspect(value, { depth: -1 })}`;
  }
  let shown = internals.inspect(value, { colors: false });
  if (shown.length > 28) shown = `${StringPrototypeSlice(shown, 0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

function listOf(items, conjunction) {
  if (items.length <= 2) return ArrayPrototypeJoin(items, ` ${conjunction} `);
  const copy = ArrayPrototypeSlice(items);
  const last = ArrayPrototypePop(copy);
  return `${ArrayPrototypeJoin(copy, ', ')}, ${conjunction} ${last}`;
}

const kTypes = ['string', 'function', 'number', 'object', 'boolean', 'bigint', 'symbol'];

const codes = {
  ERR_INVALID_ARG_TYPE(name, expected, actual) {
    const list = ArrayIsArray(expected) ? expected : [expected];
    const types = [];
    const instances = [];
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (ArrayPrototypeIncludes(kTypes, item)) ArrayPrototypePush(types, item);
      else ArrayPrototypePush(instances, item);
    }
    const kind = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
    let message = `The "${name}" ${kind} must be `;
    if (types.length > 0) message += `${types.length > 1 ? 'one of type' : 'of type'} ${listOf(types, 'or')}`;
    if (instances.length > 0) {
      if (types.length > 0) message += ' or ';
      message += `an instance of ${listOf(instances, 'or')}`;
    }
    return makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `${message}.${describeReceived(actual)}`);
  },
  ERR_INVALID_ARG_VALUE(name, value, reason = 'is invalid') {
    const kind = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
    return makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The ${kind} '${name}' ${reason}. Received ${internals.inspect(value)}`);
  },
  ERR_OUT_OF_RANGE(name, range, value) {
    let received;
    if (NumberIsInteger(value) && (value > 2 ** 32 || value < -(2 ** 32))) {
      received = addNumericalSeparator(`${value}`);
    } else if (typeof value === 'bigint') {
      received = `${value}`;
      if (value > 2n ** 32n || value < -(2n ** 32n)) received = addNumericalSeparator(received);
      received += 'n';
    } else {
      received = internals.inspect(value);
    }
    return makeNodeError(RangeError, 'ERR_OUT_OF_RANGE',
      `The value of "${name}" is out of range. It must be ${range}. Received ${received}`);
  },
  ERR_UNKNOWN_ENCODING(encoding) {
    return makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
  },
  ERR_MISSING_ARGS(...names) {
    const quoted = ArrayPrototypeMap(names, (name) => `"${name}"`);
    return makeNodeError(TypeError, 'ERR_MISSING_ARGS',
      `The ${listOf(quoted, 'and')} argument${names.length > 1 ? 's' : ''} must be specified`);
  },
  ERR_INVALID_THIS(type) {
    return makeNodeError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
  },
  ERR_NOT_IMPLEMENTED(what) {
    return makeNodeError(Error, 'ERR_NOT_IMPLEMENTED', `${what} is not implemented in Kiln`);
  },
  ERR_UNSUPPORTED_MODULE(name) {
    return makeNodeError(Error, 'ERR_NOT_IMPLEMENTED', `Kiln does not support the '${name}' module`);
  },
};

// Throws ERR_INVALID_ARG_TYPE unless `value` is a string.
function validateString(value, name) {
  if (typeof value !== 'string') throw codes.ERR_INVALID_ARG_TYPE(name, 'string', value);
}

function validateFunction(value, name) {
  if (typeof value !== 'function') throw codes.ERR_INVALID_ARG_TYPE(name, 'Function', value);
}

function validateInteger(value, name, min = NumberMIN_SAFE_INTEGER, max = NumberMAX_SAFE_INTEGER) {
  if (typeof value !== 'number') throw codes.ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!NumberIsInteger(value)) throw codes.ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > max) throw codes.ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

module.exports = {
  makeNodeError, codes, describeReceived, validateString, validateFunction, validateInteger, addNumericalSeparator,
};
