'use strict';

// `dns`: lookup() (IP literals, localhost and /etc/hosts, then a DNS client over UDP;
// see internal/dns/resolver.js), resolve4(), getServers()/setServers() and
// dns.promises. Kiln has no getaddrinfo: lookup() and resolve4() ask the same servers.
// IPv4 only: family 6 finds only static entries.

const { ArrayIsArray, ArrayPrototypePush, ObjectDefineProperty, Promise } = primordials;
const { codes } = require('internal/net/errors');
const { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE } = codes;
const { validateFunction, validateString } = require('internal/errors');
const { isIP } = require('internal/net/ip');
const resolver = require('internal/dns/resolver');

const validFamilies = [0, 4, 6];

function parseLookupOptions(options) {
  let family = 0;
  let all = false;
  let hints = 0;
  let verbatim = true;
  if (options === undefined || options === null) {
    // defaults
  } else if (typeof options === 'number') {
    if (!validFamilies.includes(options)) throw ERR_INVALID_ARG_VALUE('family', options, 'must be one of: 0, 4, 6');
    family = options;
  } else if (typeof options === 'object') {
    if (options.family != null) {
      if (options.family === 'IPv4') family = 4;
      else if (options.family === 'IPv6') family = 6;
      else if (!validFamilies.includes(options.family)) {
        throw ERR_INVALID_ARG_VALUE('options.family', options.family, 'must be one of: 0, 4, 6');
      } else family = options.family;
    }
    all = options.all === true;
    hints = options.hints >>> 0;
    if (options.verbatim !== undefined) verbatim = !!options.verbatim;
  } else {
    throw ERR_INVALID_ARG_TYPE('options', ['integer', 'object'], options);
  }
  return { family, all, hints, verbatim };
}

function lookup(hostname, options, callback) {
  if (hostname && typeof hostname !== 'string') throw ERR_INVALID_ARG_TYPE('hostname', 'string', hostname);
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  const { family, all } = parseLookupOptions(options);
  if (!hostname) {
    if (all) process.nextTick(callback, null, []);
    else process.nextTick(callback, null, null, family === 6 ? 6 : 4);
    return {};
  }
  const matchedFamily = isIP(hostname);
  if (matchedFamily) {
    if (all) process.nextTick(callback, null, [{ address: hostname, family: matchedFamily }]);
    else process.nextTick(callback, null, hostname, matchedFamily);
    return {};
  }
  resolver.resolveName(hostname, family, (err, addresses) => {
    if (err) {
      callback(err);
      return;
    }
    if (all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  });
  return {};
}

function resolve4(hostname, options, callback) {
  validateString(hostname, 'hostname');
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  const ttl = !!(options && options.ttl);
  resolver.cachedQuery(hostname, 'queryA', (err, addresses) => {
    if (err) {
      callback(err);
      return;
    }
    const out = [];
    for (let i = 0; i < addresses.length; i++) {
      ArrayPrototypePush(out, ttl ? { address: addresses[i].address, ttl: addresses[i].ttl } : addresses[i].address);
    }
    callback(null, out);
  });
}

function resolve(hostname, rrtype, callback) {
  if (typeof rrtype === 'function') {
    callback = rrtype;
    rrtype = 'A';
  }
  if (rrtype !== 'A') throw codes.ERR_NOT_IMPLEMENTED(`dns.resolve() of ${rrtype} records`);
  return resolve4(hostname, callback);
}

function setServers(servers) {
  if (!ArrayIsArray(servers)) throw ERR_INVALID_ARG_TYPE('servers', 'Array', servers);
  resolver.setServers(servers);
}

function promisify(fn) {
  return (...args) => new Promise((resolve, reject) => {
    fn(...args, (err, ...values) => {
      if (err) reject(err);
      else resolve(values);
    });
  });
}

const lookupAsync = promisify(lookup);
const resolve4Async = promisify(resolve4);

const promises = {
  async lookup(hostname, options) {
    const { all } = parseLookupOptions(options);
    const [address, family] = await lookupAsync(hostname, options);
    return all ? address : { address, family };
  },
  async resolve4(hostname, options) {
    return (await resolve4Async(hostname, options))[0];
  },
  async resolve(hostname, rrtype = 'A') {
    if (rrtype !== 'A') throw codes.ERR_NOT_IMPLEMENTED(`dns.resolve() of ${rrtype} records`);
    return (await resolve4Async(hostname))[0];
  },
  getServers: resolver.getServers,
  setServers,
};

module.exports = {
  lookup,
  resolve,
  resolve4,
  getServers: resolver.getServers,
  setServers,
  promises,
  ADDRCONFIG: 1024,
  V4MAPPED: 2048,
  ALL: 256,
  NODATA: 'ENODATA',
  FORMERR: 'EFORMERR',
  SERVFAIL: 'ESERVFAIL',
  NOTFOUND: 'ENOTFOUND',
  NOTIMP: 'ENOTIMP',
  REFUSED: 'EREFUSED',
  BADRESP: 'EBADRESP',
  CONNREFUSED: 'ECONNREFUSED',
  TIMEOUT: 'ETIMEOUT',
  EOF: 'EOF',
  BADNAME: 'EBADNAME',
};
