'use strict';

// `os`: the basics, from Linux pseudo-files (/proc/meminfo, /proc/loadavg,
// /proc/sys/kernel/hostname, /sys/devices/system/cpu/online), which the Kiln kernel
// provides too. Whatever a machine does not provide reads as a neutral value.

const {
  ArrayPrototypePush, NumberParseInt, RegExpPrototypeExec, StringPrototypeSplit, StringPrototypeTrim,
} = primordials;
const binding = internalBinding('fs');

function readText(path) {
  try {
    return binding.readFile(path, true);
  } catch {
    return '';
  }
}

function meminfoBytes(field) {
  const match = RegExpPrototypeExec(new primordials.RegExp(`^${field}:\\s+(\\d+) kB`, 'm'), readText('/proc/meminfo'));
  return match === null ? 0 : NumberParseInt(match[1], 10) * 1024;
}

// "0-3,5" -> 5 CPUs.
function onlineCpuCount() {
  const text = StringPrototypeTrim(readText('/sys/devices/system/cpu/online'));
  if (text === '') return 1;
  let count = 0;
  const ranges = StringPrototypeSplit(text, ',');
  for (let i = 0; i < ranges.length; i++) {
    const bounds = StringPrototypeSplit(ranges[i], '-');
    count += bounds.length === 2 ? NumberParseInt(bounds[1], 10) - NumberParseInt(bounds[0], 10) + 1 : 1;
  }
  return count;
}

function cpus() {
  const list = [];
  const count = onlineCpuCount();
  const model = RegExpPrototypeExec(/^model name\s*:\s*(.*)$/m, readText('/proc/cpuinfo'));
  for (let i = 0; i < count; i++) {
    ArrayPrototypePush(list, {
      model: model === null ? 'unknown' : model[1],
      speed: 0,
      times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
    });
  }
  return list;
}

function hostname() {
  return StringPrototypeTrim(readText('/proc/sys/kernel/hostname')) || 'localhost';
}

function loadavg() {
  const parts = StringPrototypeSplit(readText('/proc/loadavg'), ' ');
  return [primordials.NumberParseFloat(parts[0]) || 0, primordials.NumberParseFloat(parts[1]) || 0,
    primordials.NumberParseFloat(parts[2]) || 0];
}

function uptime() {
  return primordials.MathFloor(primordials.NumberParseFloat(readText('/proc/uptime')) || 0);
}

function release() {
  return StringPrototypeTrim(readText('/proc/sys/kernel/osrelease')) || 'unknown';
}

function tmpdir() {
  let path = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp';
  if (path.length > 1 && path[path.length - 1] === '/') path = primordials.StringPrototypeSlice(path, 0, -1);
  return path;
}

function homedir() {
  return process.env.HOME || '/';
}

function userInfo() {
  return { uid: 0, gid: 0, username: process.env.USER || 'root', homedir: homedir(), shell: null };
}

module.exports = {
  EOL: '\n',
  devNull: '/dev/null',
  arch: () => 'x64',
  platform: () => 'linux',
  type: () => 'Linux',
  machine: () => 'x86_64',
  endianness: () => 'LE',
  availableParallelism: onlineCpuCount,
  cpus,
  totalmem: () => meminfoBytes('MemTotal'),
  freemem: () => meminfoBytes('MemAvailable') || meminfoBytes('MemFree'),
  hostname,
  loadavg,
  uptime,
  release,
  version: () => StringPrototypeTrim(readText('/proc/sys/kernel/version')) || 'unknown',
  tmpdir,
  homedir,
  userInfo,
  networkInterfaces: () => ({}),
  getPriority: () => 0,
  setPriority: () => {},
  constants: { signals: {}, errno: {}, priority: {} },
};
