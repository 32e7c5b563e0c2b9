'use strict';

// `util`: format and inspect (js-lib/10_inspect.js), promisify, callbackify,
// inherits, deprecate, types, isDeepStrictEqual, TextEncoder/TextDecoder and the
// small legacy helpers.

const {
  ArrayIsArray, ObjectDefineProperties, ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptors, ObjectGetPrototypeOf, ObjectSetPrototypeOf, Promise, ReflectApply,
  RegExpPrototypeSymbolReplace, SymbolFor, StringPrototypeToUpperCase, RegExpPrototypeExec, SetPrototypeAdd,
  SetPrototypeHas,
} = primordials;
const { codes, makeNodeError, validateFunction } = require('internal/errors');
const { resolvedPromise } = require('internal/promises');
const types = require('util/types');
const { isDeepStrictEqual } = require('internal/util/comparisons');
const { TextEncoder, TextDecoder } = require('internal/encoding');

const { inspect, format } = internals;
const kCustomPromisify = SymbolFor('nodejs.util.promisify.custom');
const kCustomPromisifyArgs = primordials.Symbol('customPromisifyArgs');

function formatWithOptions(options, ...args) {
  if (options === null || typeof options !== 'object') {
    throw codes.ERR_INVALID_ARG_TYPE('inspectOptions', 'object', options);
  }
  // FIXME: inspect options (colors, depth) are not passed through to %o/%O yet.
  return ReflectApply(format, undefined, args);
}

function promisify(original) {
  validateFunction(original, 'original');
  if (original[kCustomPromisify]) {
    const fn = original[kCustomPromisify];
    validateFunction(fn, 'util.promisify.custom');
    return ObjectDefineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  const argumentNames = original[kCustomPromisifyArgs];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      args[args.length] = (error, ...values) => {
        if (error) return reject(error);
        if (argumentNames !== undefined && values.length > 1) {
          const object = {};
          for (let i = 0; i < argumentNames.length; i++) object[argumentNames[i]] = values[i];
          resolve(object);
        } else {
          resolve(values[0]);
        }
        return undefined;
      };
      ReflectApply(original, this, args);
    });
  }
  ObjectSetPrototypeOf(fn, ObjectGetPrototypeOf(original));
  ObjectDefineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  return ObjectDefineProperties(fn, ObjectGetOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

function callbackify(original) {
  validateFunction(original, 'original');
  function callbackified(...args) {
    const callback = args.pop();
    validateFunction(callback, 'last argument');
    const onFulfilled = (value) => queueCallback(callback, null, value);
    const onRejected = (reason) => {
      if (!reason) {
        const wrapped = makeNodeError(primordials.Error, 'ERR_FALSY_VALUE_REJECTION',
          'Promise was rejected with falsy value');
        wrapped.reason = reason;
        reason = wrapped;
      }
      queueCallback(callback, reason);
    };
    primordials.PromisePrototypeThen(ReflectApply(original, this, args), onFulfilled, onRejected);
  }
  const descriptors = ObjectGetOwnPropertyDescriptors(original);
  if (typeof descriptors.length.value === 'number') descriptors.length.value++;
  if (typeof descriptors.name.value === 'string') descriptors.name.value += 'Callbackified';
  ObjectDefineProperties(callbackified, descriptors);
  return callbackified;
}

// Node calls callbackify's callback from process.nextTick; without it, a microtask.
function queueCallback(callback, ...args) {
  const run = () => ReflectApply(callback, undefined, args);
  if (typeof process.nextTick === 'function') process.nextTick(run);
  else primordials.PromisePrototypeThen(resolvedPromise(), run);
}

function inherits(constructor, superConstructor) {
  if (constructor === undefined || constructor === null) throw codes.ERR_INVALID_ARG_TYPE('ctor', 'Function', constructor);
  if (superConstructor === undefined || superConstructor === null) {
    throw codes.ERR_INVALID_ARG_TYPE('superCtor', 'Function', superConstructor);
  }
  if (superConstructor.prototype === undefined) {
    throw codes.ERR_INVALID_ARG_TYPE('superCtor.prototype', 'object', superConstructor.prototype);
  }
  ObjectDefineProperty(constructor, 'super_', { value: superConstructor, writable: true, configurable: true });
  ObjectSetPrototypeOf(constructor.prototype, superConstructor.prototype);
}

const warnedCodes = new primordials.Set();
function emitDeprecationWarning(message, code) {
  if (code !== undefined) {
    if (SetPrototypeHas(warnedCodes, code)) return;
    SetPrototypeAdd(warnedCodes, code);
  }
  if (process.noDeprecation) return;
  if (typeof process.emitWarning === 'function') {
    process.emitWarning(message, 'DeprecationWarning', code);
    return;
  }
  const codePart = code === undefined ? '' : `[${code}] `;
  console.error(`(node:${process.pid}) ${codePart}DeprecationWarning: ${message}\n`
    + '(Use `node --trace-deprecation ...` to show where the warning was created)');
}

function deprecate(fn, message, code) {
  validateFunction(fn, 'fn');
  if (process.noDeprecation === true) return fn;
  let warned = false;
  function deprecated(...args) {
    if (!warned) {
      warned = true;
      emitDeprecationWarning(message, code);
    }
    if (new.target) return primordials.ReflectConstruct(fn, args, new.target);
    return ReflectApply(fn, this, args);
  }
  ObjectSetPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

const debugEnabled = new primordials.Map();
function debuglog(section, callback) {
  const name = StringPrototypeToUpperCase(section);
  let enabled = primordials.MapPrototypeGet(debugEnabled, name);
  if (enabled === undefined) {
    const setting = process.env.NODE_DEBUG ?? '';
    const pattern = RegExpPrototypeSymbolReplace(/[|\\{}()[\]^$+?.]/g, setting, '\\$&');
    const expression = new primordials.RegExp(`^(${RegExpPrototypeSymbolReplace(/\*/g, RegExpPrototypeSymbolReplace(/,/g, pattern, '$|^'), '.*')})$`, 'i');
    enabled = setting !== '' && RegExpPrototypeExec(expression, name) !== null;
    primordials.MapPrototypeSet(debugEnabled, name, enabled);
  }
  const logger = (...args) => {
    if (enabled) console.error('%s %d: %s', name, process.pid, ReflectApply(format, undefined, args));
  };
  logger.enabled = enabled;
  if (typeof callback === 'function') callback(logger);
  return logger;
}

function stripVTControlCharacters(text) {
  return RegExpPrototypeSymbolReplace(
    // eslint-disable-next-line no-control-regex
    /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g,
    text, '');
}

function toUSVString(value) {
  return RegExpPrototypeSymbolReplace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    `${value}`, '\ufffd');
}

function getSystemErrorName(errno) {
  const names = { __proto__: null, '-1': 'EPERM', '-2': 'ENOENT', '-9': 'EBADF', '-13': 'EACCES', '-17': 'EEXIST',
    '-20': 'ENOTDIR', '-21': 'EISDIR', '-22': 'EINVAL', '-28': 'ENOSPC', '-30': 'EROFS', '-32': 'EPIPE',
    '-39': 'ENOTEMPTY', '-98': 'EADDRINUSE', '-104': 'ECONNRESET', '-110': 'ETIMEDOUT', '-111': 'ECONNREFUSED' };
  return names[errno] ?? `Unknown system error ${errno}`;
}

function isError(value) {
  return types.isNativeError(value) || value instanceof primordials.Error;
}

module.exports = {
  format,
  formatWithOptions,
  inspect,
  promisify,
  callbackify,
  inherits,
  deprecate,
  debuglog,
  debug: debuglog,
  types,
  isDeepStrictEqual,
  TextEncoder,
  TextDecoder,
  stripVTControlCharacters,
  toUSVString,
  getSystemErrorName,
  isArray: ArrayIsArray,
  isBoolean: (value) => typeof value === 'boolean',
  isBuffer: (value) => internals.requireBuiltin('buffer').Buffer.isBuffer(value),
  isFunction: (value) => typeof value === 'function',
  isNull: (value) => value === null,
  isNullOrUndefined: (value) => value === null || value === undefined,
  isNumber: (value) => typeof value === 'number',
  isObject: (value) => value !== null && typeof value === 'object',
  isPrimitive: (value) => value === null || (typeof value !== 'object' && typeof value !== 'function'),
  isString: (value) => typeof value === 'string',
  isSymbol: (value) => typeof value === 'symbol',
  isUndefined: (value) => value === undefined,
  isRegExp: types.isRegExp,
  isDate: types.isDate,
  isError,
  _extend(target, source) {
    if (source === null || typeof source !== 'object') return target;
    const keys = primordials.ObjectKeys(source);
    for (let i = keys.length - 1; i >= 0; i--) target[keys[i]] = source[keys[i]];
    return target;
  },
};
