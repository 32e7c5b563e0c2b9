'use strict';

// structuredClone(value): V8's serializer does the HTML structured clone algorithm.
// FIXME: the `transfer` option is not supported (values are always copied).

const { codes } = require('internal/errors');
const binding = internalBinding('structured_clone');

function structuredClone(value, options = undefined) {
  if (arguments.length === 0) throw codes.ERR_MISSING_ARGS('value');
  if (options?.transfer !== undefined && options.transfer.length > 0) {
    throw codes.ERR_NOT_IMPLEMENTED('structuredClone() with transfer');
  }
  return binding.structuredClone(value);
}

module.exports = { structuredClone };
