'use strict';

// `perf_hooks`: performance.now() and timeOrigin on the monotonic clock the loop
// binding reads (uptime since the runtime started), mark/measure, and toJSON.
// FIXME: no PerformanceObserver, histograms or event loop utilisation.

const { DateNow, ArrayPrototypePush, ArrayPrototypeFilter } = primordials;
const { uptime } = internalBinding('loop');
const { codes } = require('internal/errors');

const timeOrigin = DateNow() - uptime() * 1e3;
const entries = [];

class PerformanceEntry {
  constructor(name, entryType, startTime, duration, detail) {
    this.name = name;
    this.entryType = entryType;
    this.startTime = startTime;
    this.duration = duration;
    if (detail !== undefined) this.detail = detail;
  }

  toJSON() {
    return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration };
  }
}

function now() {
  return uptime() * 1e3;
}

function markTime(name) {
  if (name === undefined) return undefined;
  if (typeof name === 'number') return name;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === 'mark' && entries[i].name === name) return entries[i].startTime;
  }
  throw new primordials.SyntaxError(`The "${name}" performance mark has not been set`);
}

const performance = {
  now,
  timeOrigin,
  mark(name, options) {
    const entry = new PerformanceEntry(`${name}`, 'mark', options?.startTime ?? now(), 0, options?.detail ?? null);
    ArrayPrototypePush(entries, entry);
    return entry;
  },
  measure(name, startOrOptions, endMark) {
    let start = 0;
    let end;
    if (startOrOptions !== null && typeof startOrOptions === 'object') {
      start = markTime(startOrOptions.start) ?? 0;
      end = markTime(startOrOptions.end) ?? (startOrOptions.duration !== undefined
        ? start + startOrOptions.duration : now());
    } else {
      start = markTime(startOrOptions) ?? 0;
      end = markTime(endMark) ?? now();
    }
    const entry = new PerformanceEntry(`${name}`, 'measure', start, end - start, null);
    ArrayPrototypePush(entries, entry);
    return entry;
  },
  clearMarks(name) {
    const kept = ArrayPrototypeFilter(entries, (e) => e.entryType !== 'mark' || (name !== undefined && e.name !== name));
    entries.length = 0;
    for (let i = 0; i < kept.length; i++) entries[i] = kept[i];
  },
  clearMeasures(name) {
    const kept = ArrayPrototypeFilter(entries, (e) => e.entryType !== 'measure' || (name !== undefined && e.name !== name));
    entries.length = 0;
    for (let i = 0; i < kept.length; i++) entries[i] = kept[i];
  },
  getEntries() {
    return primordials.ArrayPrototypeSlice(entries);
  },
  getEntriesByName(name, type) {
    return ArrayPrototypeFilter(entries, (e) => e.name === name && (type === undefined || e.entryType === type));
  },
  getEntriesByType(type) {
    return ArrayPrototypeFilter(entries, (e) => e.entryType === type);
  },
  toJSON() {
    return { timeOrigin, nodeTiming: undefined, eventLoopUtilization: undefined };
  },
};

class PerformanceObserver {
  constructor() {
    throw codes.ERR_NOT_IMPLEMENTED('PerformanceObserver');
  }
}

module.exports = { performance, PerformanceEntry, PerformanceObserver, constants: {} };
