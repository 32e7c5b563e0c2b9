'use strict';

// `assert/strict`: Node's strict assertion mode: equal is strictEqual and so on.
const assert = require('assert');

function strict(...args) {
  return primordials.ReflectApply(assert.ok, undefined, args);
}
const keys = primordials.ObjectKeys(assert);
for (let i = 0; i < keys.length; i++) {
  if (keys[i] !== 'strict') strict[keys[i]] = assert[keys[i]];
}
strict.equal = assert.strictEqual;
strict.notEqual = assert.notStrictEqual;
strict.deepEqual = assert.deepStrictEqual;
strict.notDeepEqual = assert.notDeepStrictEqual;
strict.strict = strict;

module.exports = strict;
