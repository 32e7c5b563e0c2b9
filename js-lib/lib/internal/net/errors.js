'use strict';

// Node-style errors of the networking and stream modules: argument/state errors with
// Node's codes and messages, and system errors built from the -errno values the tcp
// and udp bindings return ("connect ECONNREFUSED 127.0.0.1:80", code, errno, syscall,
// address, port), worded as Node's exceptionWithHostPort / uvExceptionWithHostPort.

const { Error, RangeError, TypeError } = primordials;
const { makeNodeError, codes: baseCodes, describeReceived } = require('internal/errors');

let helpers;
function errorHelpers() {
  if (helpers === undefined) helpers = internalBinding('tcp');
  return helpers;
}

function simple(Base, code, message) {
  return (...args) => makeNodeError(Base, code, typeof message === 'function' ? message(...args) : message);
}

const inspect = (value) => internals.inspect(value);

const codes = {
  ...baseCodes,
  ERR_STREAM_PUSH_AFTER_EOF: simple(Error, 'ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'),
  ERR_STREAM_UNSHIFT_AFTER_END_EVENT: simple(Error, 'ERR_STREAM_UNSHIFT_AFTER_END_EVENT',
    'stream.unshift() after end event'),
  ERR_METHOD_NOT_IMPLEMENTED: simple(Error, 'ERR_METHOD_NOT_IMPLEMENTED',
    (name) => `The ${name} method is not implemented`),
  ERR_STREAM_WRITE_AFTER_END: simple(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'),
  ERR_STREAM_DESTROYED: simple(Error, 'ERR_STREAM_DESTROYED',
    (name) => `Cannot call ${name} after a stream was destroyed`),
  ERR_STREAM_NULL_VALUES: simple(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream'),
  ERR_MULTIPLE_CALLBACK: simple(Error, 'ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'),
  ERR_STREAM_ALREADY_FINISHED: simple(Error, 'ERR_STREAM_ALREADY_FINISHED',
    (name) => `Cannot call ${name} after a stream was finished`),
  ERR_STREAM_PREMATURE_CLOSE: simple(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close'),
  ERR_STREAM_CANNOT_PIPE: simple(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'),
  ERR_INVALID_RETURN_VALUE: simple(TypeError, 'ERR_INVALID_RETURN_VALUE', (input, name, value) => {
    const type = value === null ? 'null' : value?.constructor?.name ? `instance of ${value.constructor.name}`
      : `type ${typeof value}`;
    return `Expected ${input} to be returned from the "${name}" function but got ${type}.`;
  }),
  ERR_SERVER_ALREADY_LISTEN: simple(Error, 'ERR_SERVER_ALREADY_LISTEN',
    'Listen method has been called more than once without closing.'),
  ERR_SERVER_NOT_RUNNING: simple(Error, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.'),
  ERR_SOCKET_CLOSED: simple(Error, 'ERR_SOCKET_CLOSED', 'Socket is closed'),
  ERR_SOCKET_BAD_PORT: simple(RangeError, 'ERR_SOCKET_BAD_PORT', (name, port, allowZero = true) =>
    `${name} should be ${allowZero ? '>=' : '>'} 0 and < 65536.${describeReceived(port)}.`),
  ERR_SOCKET_DGRAM_NOT_RUNNING: simple(Error, 'ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running'),
  ERR_SOCKET_ALREADY_BOUND: simple(Error, 'ERR_SOCKET_ALREADY_BOUND', 'Socket is already bound'),
  ERR_SOCKET_BAD_TYPE: simple(TypeError, 'ERR_SOCKET_BAD_TYPE',
    'Bad socket type specified. Valid types are: udp4, udp6'),
  ERR_SOCKET_CONNECTION_TIMEOUT: simple(Error, 'ERR_SOCKET_CONNECTION_TIMEOUT', 'Socket connection timeout'),
  ERR_INVALID_IP_ADDRESS: simple(TypeError, 'ERR_INVALID_IP_ADDRESS', (ip) => `Invalid IP address: ${ip}`),
  ERR_INVALID_ADDRESS_FAMILY: simple(RangeError, 'ERR_INVALID_ADDRESS_FAMILY',
    (family, host, port) => `Invalid address family: ${family} ${host}:${port}`),
  ERR_HTTP_HEADERS_SENT: simple(Error, 'ERR_HTTP_HEADERS_SENT',
    (what) => `Cannot ${what} headers after they are sent to the client`),
  ERR_HTTP_INVALID_HEADER_VALUE: simple(TypeError, 'ERR_HTTP_INVALID_HEADER_VALUE',
    (value, name) => `Invalid value "${value}" for header "${name}"`),
  ERR_INVALID_HTTP_TOKEN: simple(TypeError, 'ERR_INVALID_HTTP_TOKEN',
    (name, field) => `${name} must be a valid HTTP token ["${field}"]`),
  ERR_INVALID_CHAR: simple(TypeError, 'ERR_INVALID_CHAR',
    (name, field) => `Invalid character in ${name}${field === undefined ? '' : ` ["${field}"]`}`),
  ERR_HTTP_INVALID_STATUS_CODE: simple(RangeError, 'ERR_HTTP_INVALID_STATUS_CODE',
    (code) => `Invalid status code: ${code}`),
  ERR_HTTP_TRAILER_INVALID: simple(Error, 'ERR_HTTP_TRAILER_INVALID',
    'Trailers are invalid with this transfer encoding'),
  ERR_HTTP_CONTENT_LENGTH_MISMATCH: simple(Error, 'ERR_HTTP_CONTENT_LENGTH_MISMATCH',
    (actual, expected) => `Response body's content-length of ${actual} byte(s) does not match the content-length of ${expected} byte(s) set in header`),
  ERR_HTTP_BODY_NOT_ALLOWED: simple(Error, 'ERR_HTTP_BODY_NOT_ALLOWED',
    'Adding content for this request method or response status is not allowed.'),
  ERR_INVALID_PROTOCOL: simple(TypeError, 'ERR_INVALID_PROTOCOL',
    (protocol, expected) => `Protocol "${protocol}" not supported. Expected "${expected}"`),
  ERR_UNESCAPED_CHARACTERS: simple(TypeError, 'ERR_UNESCAPED_CHARACTERS',
    (what) => `${what} contains unescaped characters`),
  ERR_INVALID_STATE: simple(TypeError, 'ERR_INVALID_STATE', (message) => `Invalid state: ${message}`),
};

// The -errno values of the bindings, as Node reports them.
function errname(status) {
  return errorHelpers().errname(status);
}

function decorate(error, status, syscall) {
  error.errno = status;
  error.code = errname(status);
  error.syscall = syscall;
  return error;
}

// "connect ECONNREFUSED 127.0.0.1:8080" (Node's exceptionWithHostPort).
function exceptionWithHostPort(status, syscall, address, port) {
  let details = '';
  if (port && port > 0) details = ` ${address}:${port}`;
  else if (address) details = ` ${address}`;
  const error = decorate(new Error(`${syscall} ${errname(status)}${details}`), status, syscall);
  if (address) error.address = address;
  if (port) error.port = port;
  return error;
}

// "listen EADDRINUSE: address already in use 127.0.0.1:8080" (uvExceptionWithHostPort).
function uvExceptionWithHostPort(status, syscall, address, port) {
  const details = port && port > 0 ? ` ${address}:${port}` : address ? ` ${address}` : '';
  const error = decorate(new Error(`${syscall} ${errname(status)}: ${errorHelpers().strerror(status)}${details}`),
    status, syscall);
  if (address) error.address = address;
  if (port) error.port = port;
  return error;
}

// "read ECONNRESET" (Node's UVException for stream errors).
function errnoException(status, syscall) {
  return decorate(new Error(`${syscall} ${errname(status)}`), status, syscall);
}

// The client side's "socket hang up" (ECONNRESET without an errno).
function connResetException(message) {
  const error = new Error(message);
  error.code = 'ECONNRESET';
  return error;
}

function aggregateTwoErrors(inner, outer) {
  if (inner && outer && inner !== outer) {
    if (primordials.ArrayIsArray(outer.errors)) {
      primordials.ArrayPrototypePush(outer.errors, inner);
      return outer;
    }
    const error = new primordials.AggregateError([outer, inner], outer.message);
    error.code = outer.code;
    return error;
  }
  return inner || outer;
}

module.exports = {
  codes, errname, exceptionWithHostPort, uvExceptionWithHostPort, errnoException, connResetException,
  aggregateTwoErrors,
};
