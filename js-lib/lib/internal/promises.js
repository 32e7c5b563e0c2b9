'use strict';

// Promise.resolve/Promise.reject for library code. primordials.PromiseResolve is the
// unbound static, which throws when called bare, and the global Promise may be
// replaced by user code, so these build promises from the captured constructor.

const { Promise } = primordials;

function resolvedPromise(value) {
  return new Promise((resolve) => resolve(value));
}

function rejectedPromise(reason) {
  return new Promise((resolve, reject) => reject(reason));
}

module.exports = { resolvedPromise, rejectedPromise };
