'use strict';

// Web and Node globals implemented by library modules (Buffer, URL, TextEncoder,
// AbortController, ...). Each is installed as an accessor that loads its module on
// first use and then replaces itself with an ordinary writable, non-enumerable data
// property, so start-up does not pay for what the program never touches.

const { ObjectDefineProperty } = primordials;
const { requireBuiltin } = internals;

function defineGlobal(name, value) {
  ObjectDefineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

function defineLazyGlobal(name, moduleId, exportName = name) {
  ObjectDefineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get() {
      const value = requireBuiltin(moduleId)[exportName];
      defineGlobal(name, value);
      return value;
    },
    set(value) {
      defineGlobal(name, value);
    },
  });
}

const kLazyGlobals = [
  ['Buffer', 'buffer'],
  ['atob', 'buffer'],
  ['btoa', 'buffer'],
  ['URL', 'internal/url'],
  ['URLSearchParams', 'internal/url'],
  ['TextEncoder', 'internal/encoding'],
  ['TextDecoder', 'internal/encoding'],
  ['EventTarget', 'internal/event_target'],
  ['Event', 'internal/event_target'],
  ['AbortController', 'internal/abort_controller'],
  ['AbortSignal', 'internal/abort_controller'],
  ['structuredClone', 'internal/structured_clone'],
  ['DOMException', 'internal/dom_exception'],
  ['performance', 'perf_hooks'],
  ['fetch', 'internal/fetch/fetch'],
  ['Headers', 'internal/fetch/fetch'],
  ['Request', 'internal/fetch/fetch'],
  ['Response', 'internal/fetch/fetch'],
];
for (let i = 0; i < kLazyGlobals.length; i++) defineLazyGlobal(kLazyGlobals[i][0], kLazyGlobals[i][1]);
