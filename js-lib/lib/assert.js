'use strict';

// `assert`: Node's assertion functions and AssertionError (code ERR_ASSERTION).
// Messages follow Node's for the common cases; the diff Node prints for deep
// comparisons is reduced to both values inspected.

const { ObjectIs, ReflectApply, RegExpPrototypeExec, ObjectKeys } = primordials;
const { isDeepEqual, isDeepStrictEqual } = require('internal/util/comparisons');
const { codes, makeNodeError } = require('internal/errors');

const { inspect } = internals;

function inspectValue(value) {
  return inspect(value, { depth: 1000, breakLength: Infinity, compact: 3 });
}

// Marks a message the library wrote itself (generatedMessage: true) though passed in.
const kGenerated = primordials.Symbol('generated message');

const kReadableOperator = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
};

class AssertionError extends primordials.Error {
  constructor(options) {
    if (options === null || typeof options !== 'object') throw codes.ERR_INVALID_ARG_TYPE('options', 'Object', options);
    const { message, actual, expected, operator, stackStartFn } = options;
    let text;
    if (message !== undefined && message !== null) {
      text = `${message}`;
    } else if (operator === 'deepStrictEqual' || operator === 'strictEqual') {
      text = `${kReadableOperator[operator]}\n\n${inspectValue(actual)} !== ${inspectValue(expected)}\n`;
    } else if (kReadableOperator[operator] !== undefined) {
      text = `${kReadableOperator[operator]} ${inspectValue(actual)}`;
      if (operator === 'deepEqual') text = `${kReadableOperator[operator]}\n\n${inspectValue(actual)}\n\nshould loosely deep-equal\n\n${inspectValue(expected)}`;
    } else if (operator === '==' || operator === '!=') {
      text = `${inspectValue(actual)} ${operator} ${inspectValue(expected)}`;
    } else {
      text = `${inspectValue(actual)} ${operator} ${inspectValue(expected)}`;
    }
    super(text);
    this.generatedMessage = message === undefined || message === null || options[kGenerated] === true;
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    // The stack's first line reads "AssertionError [ERR_ASSERTION]: ...", as in Node.
    primordials.ObjectDefineProperty(this, 'name', {
      value: 'AssertionError [ERR_ASSERTION]', enumerable: false, writable: true, configurable: true,
    });
    primordials.ErrorCaptureStackTrace(this, stackStartFn || this.constructor);
    this.stack; // eslint-disable-line no-unused-expressions
    this.name = 'AssertionError';
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

function fail(options) {
  if (options.message instanceof primordials.Error) throw options.message;
  throw new AssertionError(options);
}

function innerOk(fn, argumentCount, value, message) {
  if (value) return;
  let generated = message;
  if (argumentCount === 0) {
    generated = 'No value argument passed to `assert.ok()`';
  } else if (message === undefined) {
    // FIXME: Node quotes the failing expression from the source; this shows the value.
    generated = `${inspectValue(value)} == true`;
  }
  const error = new AssertionError({ actual: value, expected: true, message: generated, operator: '==',
    stackStartFn: fn });
  error.generatedMessage = message === undefined;
  throw error;
}

function ok(...args) {
  innerOk(ok, args.length, args[0], args[1]);
}

const assert = function assert(...args) {
  innerOk(assert, args.length, args[0], args[1]);
};
assert.ok = ok;
assert.AssertionError = AssertionError;

assert.fail = function failFn(message = 'Failed') {
  if (message instanceof primordials.Error) throw message;
  const error = new AssertionError({ message, operator: 'fail', stackStartFn: failFn });
  error.generatedMessage = arguments.length === 0;
  throw error;
};

assert.equal = function equal(actual, expected, message) {
  // eslint-disable-next-line eqeqeq
  if (actual != expected && (!(actual !== actual) || !(expected !== expected))) {
    fail({ actual, expected, message, operator: '==', stackStartFn: equal });
  }
};
assert.notEqual = function notEqual(actual, expected, message) {
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (actual !== actual && expected !== expected)) {
    fail({ actual, expected, message, operator: '!=', stackStartFn: notEqual });
  }
};
assert.strictEqual = function strictEqual(actual, expected, message) {
  if (!ObjectIs(actual, expected)) fail({ actual, expected, message, operator: 'strictEqual', stackStartFn: strictEqual });
};
assert.notStrictEqual = function notStrictEqual(actual, expected, message) {
  if (ObjectIs(actual, expected)) {
    fail({ actual, expected, message, operator: 'notStrictEqual', stackStartFn: notStrictEqual });
  }
};
assert.deepEqual = function deepEqual(actual, expected, message) {
  if (!isDeepEqual(actual, expected)) fail({ actual, expected, message, operator: 'deepEqual', stackStartFn: deepEqual });
};
assert.notDeepEqual = function notDeepEqual(actual, expected, message) {
  if (isDeepEqual(actual, expected)) {
    fail({ actual, expected, message, operator: 'notDeepEqual', stackStartFn: notDeepEqual });
  }
};
assert.deepStrictEqual = function deepStrictEqual(actual, expected, message) {
  if (!isDeepStrictEqual(actual, expected)) {
    fail({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual });
  }
};
assert.notDeepStrictEqual = function notDeepStrictEqual(actual, expected, message) {
  if (isDeepStrictEqual(actual, expected)) {
    fail({ actual, expected, message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual });
  }
};

// Checks a thrown/rejected value against `expected`: a class, a RegExp, a validation
// function or an object whose keys must match.
function expectedMatches(actual, expected, message, fn) {
  if (expected === undefined) return;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && actual instanceof expected) return;
    if (expected === primordials.Error || primordials.ObjectPrototypeIsPrototypeOf(primordials.Error, expected)) {
      const received = actual?.constructor?.name ?? typeof actual;
      throw new AssertionError({ [kGenerated]: message === undefined, actual, expected, operator: fn.name, stackStartFn: fn,
        message: message ?? `The error is expected to be an instance of "${expected.name}". Received "${received}"`
          + `\n\nError message:\n\n${actual?.message}` });
    }
    if (ReflectApply(expected, {}, [actual]) === true) return;
    const error = new AssertionError({ [kGenerated]: message === undefined, actual, expected, operator: fn.name,
      message: message ?? `The ${fn === assert.rejects ? 'rejection' : 'error'} validation function is expected to `
        + `return "true". Received ${inspectValue(ReflectApply(expected, {}, [actual]))}`, stackStartFn: fn });
    throw error;
  }
  if (primordials.ObjectPrototypeToString(expected) === '[object RegExp]') {
    const text = `${actual}`;
    if (RegExpPrototypeExec(expected, text) !== null) return;
    throw new AssertionError({ [kGenerated]: message === undefined, actual, expected, operator: fn.name, stackStartFn: fn,
      message: message ?? `The input did not match the regular expression ${inspectValue(expected)}. Input:\n\n${inspectValue(text)}\n` });
  }
  if (typeof expected === 'object' && expected !== null) {
    const keys = ObjectKeys(expected);
    if (expected instanceof primordials.Error) primordials.ArrayPrototypePush(keys, 'name', 'message');
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const want = expected[key];
      const got = actual?.[key];
      const matched = primordials.ObjectPrototypeToString(want) === '[object RegExp]' && typeof got === 'string'
        ? RegExpPrototypeExec(want, got) !== null : isDeepStrictEqual(got, want);
      if (!matched) {
        throw new AssertionError({ [kGenerated]: message === undefined, actual, expected, operator: fn.name, stackStartFn: fn,
          message: message ?? `Expected values to be strictly deep-equal:\n\n${inspectValue(got)} !== ${inspectValue(want)}\n` });
      }
    }
    return;
  }
  throw codes.ERR_INVALID_ARG_TYPE('expected', ['Function', 'RegExp', 'Object', 'Error'], expected);
}

const kNoError = primordials.Symbol('no error');

assert.throws = function throws(fn, expected, message) {
  if (typeof fn !== 'function') throw codes.ERR_INVALID_ARG_TYPE('fn', 'Function', fn);
  if (typeof expected === 'string') {
    message = expected;
    expected = undefined;
  }
  let thrown = kNoError;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === kNoError) {
    let details = '';
    if (expected !== undefined && expected.name) details += ` (${expected.name})`;
    details += message ? `: ${message}` : '.';
    fail({ actual: undefined, expected, operator: 'throws', message: `Missing expected exception${details}`,
      stackStartFn: throws });
  }
  expectedMatches(thrown, expected, message, throws);
};

assert.doesNotThrow = function doesNotThrow(fn, expected, message) {
  try {
    fn();
  } catch (error) {
    if (typeof expected === 'string') message = expected;
    fail({ actual: error, expected, operator: 'doesNotThrow', stackStartFn: doesNotThrow,
      message: `Got unwanted exception${message ? `: ${message}` : '.'}\nActual message: "${error?.message}"` });
  }
};

assert.rejects = async function rejects(promiseOrFn, expected, message) {
  const promise = typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn;
  if (promise === null || typeof promise !== 'object' || typeof promise.then !== 'function') {
    throw codes.ERR_INVALID_ARG_TYPE('promiseFn', ['Function', 'Promise'], promise);
  }
  if (typeof expected === 'string') {
    message = expected;
    expected = undefined;
  }
  let rejection = kNoError;
  try {
    await promise;
  } catch (error) {
    rejection = error;
  }
  if (rejection === kNoError) {
    let details = '';
    if (expected !== undefined && expected.name) details += ` (${expected.name})`;
    details += message ? `: ${message}` : '.';
    fail({ actual: undefined, expected, operator: 'rejects', message: `Missing expected rejection${details}`,
      stackStartFn: rejects });
  }
  expectedMatches(rejection, expected, message, rejects);
};

assert.doesNotReject = async function doesNotReject(promiseOrFn, expected, message) {
  const promise = typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn;
  try {
    await promise;
  } catch (error) {
    if (typeof expected === 'string') message = expected;
    fail({ actual: error, expected, operator: 'doesNotReject', stackStartFn: doesNotReject,
      message: `Got unwanted rejection${message ? `: ${message}` : '.'}\nActual message: "${error?.message}"` });
  }
};

assert.ifError = function ifError(value) {
  if (value === null || value === undefined) return;
  let message = 'ifError got unwanted exception: ';
  message += typeof value === 'object' && typeof value.message === 'string' ? value.message : inspectValue(value);
  throw new AssertionError({ actual: value, expected: null, operator: 'ifError', message, stackStartFn: ifError });
};

assert.match = function match(string, regexp, message) {
  if (typeof string !== 'string' || RegExpPrototypeExec(regexp, string) === null) {
    fail({ [kGenerated]: message === undefined, actual: string, expected: regexp, operator: 'match', stackStartFn: match,
      message: message ?? (typeof string !== 'string'
        ? `The "string" argument must be of type string. Received type ${typeof string} (${inspectValue(string)})`
        : `The input did not match the regular expression ${inspectValue(regexp)}. Input:\n\n${inspectValue(string)}\n`) });
  }
};
assert.doesNotMatch = function doesNotMatch(string, regexp, message) {
  if (typeof string === 'string' && RegExpPrototypeExec(regexp, string) !== null) {
    fail({ [kGenerated]: message === undefined, actual: string, expected: regexp, operator: 'doesNotMatch', stackStartFn: doesNotMatch,
      message: message ?? `The input was expected to not match the regular expression ${inspectValue(regexp)}. `
        + `Input:\n\n${inspectValue(string)}\n` });
  }
};

primordials.ObjectDefineProperty(assert, 'strict', {
  enumerable: true,
  configurable: true,
  get() {
    return require('assert/strict');
  },
});
assert.CallTracker = function CallTracker() {
  throw makeNodeError(primordials.Error, 'ERR_NOT_IMPLEMENTED', 'assert.CallTracker is not implemented in Kiln');
};

module.exports = assert;
