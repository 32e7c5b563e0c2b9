'use strict';

// require('timers'): the functions js-lib/41_timers.js also installs as globals.

const { ObjectDefineProperty } = primordials;

module.exports = { ...internals.timers };

ObjectDefineProperty(module.exports, 'promises', {
  enumerable: true,
  configurable: true,
  get() {
    return require('timers/promises');
  },
});
