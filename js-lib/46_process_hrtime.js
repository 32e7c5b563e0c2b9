'use strict';

// process.hrtime([previous]), process.hrtime.bigint() and process.uptime(), on the
// monotonic clock (clock_gettime(CLOCK_MONOTONIC), as libuv's uv_hrtime).

const { ArrayIsArray, ObjectDefineProperty, Uint32Array } = primordials;
const binding = internalBinding('loop');

// [seconds high 32 bits, seconds low 32 bits, nanoseconds], filled by the binding.
const fields = new Uint32Array(3);

function hrtime(previous) {
  binding.hrtime(fields);
  const seconds = fields[0] * 0x100000000 + fields[1];
  const nanoseconds = fields[2];
  if (previous === undefined) return [seconds, nanoseconds];
  const { codes } = internals.requireBuiltin('internal/errors');
  if (!ArrayIsArray(previous)) throw codes.ERR_INVALID_ARG_TYPE('time', 'Array', previous);
  if (previous.length !== 2) throw codes.ERR_OUT_OF_RANGE('time', 2, previous.length);
  const secondsDiff = seconds - previous[0];
  const nanosecondsDiff = nanoseconds - previous[1];
  return nanosecondsDiff < 0 ? [secondsDiff - 1, nanosecondsDiff + 1e9] : [secondsDiff, nanosecondsDiff];
}

hrtime.bigint = function bigint() {
  return binding.hrtimeBigInt();
};

ObjectDefineProperty(process, 'hrtime', { value: hrtime, writable: true, configurable: true, enumerable: true });
ObjectDefineProperty(process, 'uptime', {
  value: function uptime() {
    return binding.uptime();
  },
  writable: true,
  configurable: true,
  enumerable: true,
});
