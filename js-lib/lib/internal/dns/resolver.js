'use strict';

// Where names come from, in order: IP literals; the static table (built-in localhost,
// then /etc/hosts when it exists); a DNS client over UDP (internal/dns/wire.js) to the
// servers of /proc/net/kiln/resolv.conf (the Kiln kernel's DHCP result, when that file
// exists) or /etc/resolv.conf. Answers are cached for their TTL (at most 5 minutes).

const {
  ArrayPrototypePush, ArrayPrototypeShift, DateNow, MathMin, MathRandom, MathFloor, Map, MapPrototypeGet,
  MapPrototypeSet, MapPrototypeDelete, RegExpPrototypeExec, StringPrototypeSplit, StringPrototypeTrim,
  StringPrototypeToLowerCase,
} = primordials;
const { encodeQuery, decodeResponse, normalizeName } = require('internal/dns/wire');
const { isIPv4, isIPv6 } = require('internal/net/ip');

const kResolvConfPaths = ['/proc/net/kiln/resolv.conf', '/etc/resolv.conf'];
const kHostsPath = '/etc/hosts';
const kTimeoutMs = 2000;
const kAttempts = 2;
const kMaxCacheMs = 5 * 60 * 1000;

let hostsTable;
let configuredServers;
const cache = new Map();

function readText(path) {
  try {
    return require('fs').readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function lines(text) {
  return StringPrototypeSplit(text, '\n');
}

function fields(line) {
  const hash = line.indexOf('#');
  if (hash >= 0) line = line.slice(0, hash);
  line = StringPrototypeTrim(line);
  if (line === '') return [];
  return StringPrototypeSplit(line, /\s+/);
}

// name → [{ address, family }], the static table.
function hosts() {
  if (hostsTable !== undefined) return hostsTable;
  hostsTable = new Map();
  const add = (name, address, family) => {
    name = normalizeName(name);
    let list = MapPrototypeGet(hostsTable, name);
    if (list === undefined) MapPrototypeSet(hostsTable, name, list = []);
    for (let i = 0; i < list.length; i++) if (list[i].address === address) return;
    ArrayPrototypePush(list, { address, family });
  };
  const text = readText(kHostsPath);
  if (text !== undefined) {
    const all = lines(text);
    for (let i = 0; i < all.length; i++) {
      const parts = fields(all[i]);
      if (parts.length < 2) continue;
      const family = isIPv4(parts[0]) ? 4 : isIPv6(parts[0]) ? 6 : 0;
      if (family === 0) continue;
      for (let j = 1; j < parts.length; j++) add(parts[j], parts[0], family);
    }
  }
  add('localhost', '127.0.0.1', 4);
  add('localhost', '::1', 6);
  return hostsTable;
}

function parseServer(text) {
  // "1.2.3.4" or "1.2.3.4:5353"
  const match = RegExpPrototypeExec(/^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/, text);
  if (match === null || !isIPv4(match[1])) return null;
  const port = match[2] === undefined ? 53 : +match[2];
  if (!(port > 0 && port < 65536)) return null;
  return { address: match[1], port };
}

function servers() {
  if (configuredServers !== undefined) return configuredServers;
  configuredServers = [];
  for (let p = 0; p < kResolvConfPaths.length && configuredServers.length === 0; p++) {
    const text = readText(kResolvConfPaths[p]);
    if (text === undefined) continue;
    const all = lines(text);
    for (let i = 0; i < all.length; i++) {
      const parts = fields(all[i]);
      if (parts.length >= 2 && parts[0] === 'nameserver') {
        const server = parseServer(parts[1]);
        if (server !== null) ArrayPrototypePush(configuredServers, server);
      }
    }
  }
  return configuredServers;
}

function setServers(list) {
  const parsed = [];
  for (let i = 0; i < list.length; i++) {
    const server = parseServer(list[i]);
    if (server === null) {
      const error = new primordials.TypeError(`Invalid IP address: ${list[i]}`);
      error.code = 'ERR_INVALID_IP_ADDRESS';
      throw error;
    }
    ArrayPrototypePush(parsed, server);
  }
  configuredServers = parsed;
  cache.clear();
}

function getServers() {
  const list = servers();
  const out = [];
  for (let i = 0; i < list.length; i++) {
    ArrayPrototypePush(out, list[i].port === 53 ? list[i].address : `${list[i].address}:${list[i].port}`);
  }
  return out;
}

function dnsError(code, syscall, hostname) {
  const error = new primordials.Error(`${syscall} ${code} ${hostname}`);
  error.code = code;
  error.syscall = syscall;
  error.hostname = hostname;
  return error;
}

// Asks the servers for A records: callback(err, [{ address, ttl }]). ENOTFOUND for
// NXDOMAIN or no address, ESERVFAIL/EREFUSED for server errors, ETIMEOUT when nobody
// answers, ECONNREFUSED when no server is configured.
function queryA(name, syscall, callback) {
  const list = servers();
  if (list.length === 0) {
    process.nextTick(callback, dnsError('ECONNREFUSED', syscall, name));
    return;
  }
  const packetId = MathFloor(MathRandom() * 0x10000);
  const query = encodeQuery(packetId, name);
  if (query === null) {
    process.nextTick(callback, dnsError('EBADNAME', syscall, name));
    return;
  }
  const dgram = require('dgram');
  const socket = dgram.createSocket('udp4');
  let attempt = 0;
  let timer = null;
  let done = false;
  const finish = (err, addresses) => {
    if (done) return;
    done = true;
    if (timer !== null) clearTimeout(timer);
    socket.close();
    callback(err, addresses);
  };
  const send = () => {
    const server = list[attempt % list.length];
    socket.send(query, server.port, server.address, (err) => {
      if (err) finish(err);
    });
    timer = setTimeout(() => {
      timer = null;
      attempt++;
      if (attempt >= kAttempts * list.length) finish(dnsError('ETIMEOUT', syscall, name));
      else send();
    }, kTimeoutMs);
  };
  socket.on('error', (err) => finish(err));
  socket.on('message', (message, rinfo) => {
    const response = decodeResponse(message);
    // Only an answer to our question from a server we asked (RFC 5452 §4.1).
    if (response === null || response.id !== packetId) return;
    let known = false;
    for (let i = 0; i < list.length; i++) {
      if (list[i].address === rinfo.address && list[i].port === rinfo.port) known = true;
    }
    if (!known) return;
    if (response.rcode === 3 || (response.rcode === 0 && response.addresses.length === 0)) {
      finish(dnsError(response.rcode === 3 ? 'ENOTFOUND' : 'ENODATA', syscall, name));
    } else if (response.rcode === 2) {
      finish(dnsError('ESERVFAIL', syscall, name));
    } else if (response.rcode === 5) {
      finish(dnsError('EREFUSED', syscall, name));
    } else if (response.rcode !== 0) {
      finish(dnsError('EBADRESP', syscall, name));
    } else {
      // FIXME: a truncated answer should be retried over TCP (RFC 7766); its A records
      // so far are used as they are.
      finish(null, response.addresses);
    }
  });
  socket.unref();
  send();
}

function cachedQuery(name, syscall, callback) {
  const key = normalizeName(name);
  const entry = MapPrototypeGet(cache, key);
  if (entry !== undefined) {
    if (entry.expires > DateNow()) {
      process.nextTick(callback, null, entry.addresses);
      return;
    }
    MapPrototypeDelete(cache, key);
  }
  queryA(key, syscall, (err, addresses) => {
    if (!err) {
      let ttl = kMaxCacheMs;
      for (let i = 0; i < addresses.length; i++) ttl = MathMin(ttl, addresses[i].ttl * 1000);
      if (ttl > 0) MapPrototypeSet(cache, key, { expires: DateNow() + ttl, addresses });
    }
    callback(err, addresses);
  });
}

// callback(err, [{ address, family }]) for dns.lookup: static table, then DNS.
function resolveName(hostname, family, callback) {
  const name = normalizeName(hostname);
  const fromTable = MapPrototypeGet(hosts(), name);
  if (fromTable !== undefined) {
    const matches = [];
    for (let i = 0; i < fromTable.length; i++) {
      if (family === 0 ? fromTable[i].family === 4 : fromTable[i].family === family) {
        ArrayPrototypePush(matches, fromTable[i]);
      }
    }
    if (matches.length > 0) {
      process.nextTick(callback, null, matches);
      return;
    }
  }
  if (family === 6) {
    // No IPv6 in Kiln: AAAA queries are not made.
    process.nextTick(callback, dnsError('ENOTFOUND', 'getaddrinfo', hostname));
    return;
  }
  cachedQuery(name, 'getaddrinfo', (err, addresses) => {
    if (err) {
      // getaddrinfo reports every resolver failure as ENOTFOUND/EAI_AGAIN.
      const code = err.code === 'ETIMEOUT' || err.code === 'ESERVFAIL' ? 'EAI_AGAIN' : 'ENOTFOUND';
      const error = dnsError(code, 'getaddrinfo', hostname);
      error.errno = code === 'ENOTFOUND' ? -3008 : -3001;
      callback(error);
      return;
    }
    const out = [];
    for (let i = 0; i < addresses.length; i++) ArrayPrototypePush(out, { address: addresses[i].address, family: 4 });
    callback(null, out);
  });
}

module.exports = { resolveName, cachedQuery, setServers, getServers, dnsError };
