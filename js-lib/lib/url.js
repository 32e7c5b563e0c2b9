'use strict';

// `url`: the WHATWG URL classes, file URL helpers, url.format, and Node's legacy
// url.parse/url.resolve.
// FIXME: url.parse is a regular-expression approximation of Node's legacy parser:
// common URLs parse the same, but its many quirks (auto-escaping, IDNA, odd hosts)
// are not reproduced.

const {
  RegExpPrototypeExec, StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeToLowerCase,
  StringPrototypeStartsWith,
} = primordials;
const { URL, URLSearchParams } = require('internal/url');
const { pathToFileUrl, fileUrlToPath } = require('internal/modules/file_url');
const { domainToAscii } = require('internal/url_host');
const { codes } = require('internal/errors');
const path = require('path');

function fileURLToPath(url) {
  if (typeof url === 'string') return fileUrlToPath(url);
  if (url instanceof URL) return fileUrlToPath(url.href);
  throw codes.ERR_INVALID_ARG_TYPE('path', ['string', 'URL'], url);
}

function pathToFileURL(filepath) {
  let resolved = path.resolve(filepath);
  // path.resolve drops a trailing slash that the URL must keep.
  if (filepath[filepath.length - 1] === '/' && resolved[resolved.length - 1] !== '/') resolved += '/';
  return new URL(pathToFileUrl(resolved));
}

function urlToHttpOptions(url) {
  const options = {
    protocol: url.protocol,
    hostname: url.hostname[0] === '[' ? StringPrototypeSlice(url.hostname, 1, -1) : url.hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: `${url.pathname || ''}${url.search || ''}`,
    href: url.href,
  };
  if (url.port !== '') options.port = Number(url.port);
  if (url.username || url.password) {
    options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  return options;
}

function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

const kSlashedProtocols = new primordials.Set(['http:', 'https:', 'ftp:', 'gopher:', 'file:', 'ws:', 'wss:']);

function urlParse(url, parseQueryString = false, slashesDenoteHost = false) {
  if (url instanceof Url) return url;
  if (typeof url !== 'string') throw codes.ERR_INVALID_ARG_TYPE('url', 'string', url);
  const result = new Url();
  let rest = primordials.StringPrototypeTrim(url);

  const hashIndex = StringPrototypeIndexOf(rest, '#');
  if (hashIndex !== -1) {
    result.hash = StringPrototypeSlice(rest, hashIndex);
    rest = StringPrototypeSlice(rest, 0, hashIndex);
  }
  const queryIndex = StringPrototypeIndexOf(rest, '?');
  if (queryIndex !== -1) {
    result.search = StringPrototypeSlice(rest, queryIndex);
    result.query = StringPrototypeSlice(rest, queryIndex + 1);
    rest = StringPrototypeSlice(rest, 0, queryIndex);
  } else if (parseQueryString) {
    result.search = '';
    result.query = {};
  }
  if (parseQueryString && typeof result.query === 'string') {
    result.query = require('querystring').parse(result.query);
  }

  const protocol = RegExpPrototypeExec(/^([a-z0-9.+-]+:)/i, rest);
  if (protocol !== null) {
    result.protocol = StringPrototypeToLowerCase(protocol[1]);
    rest = StringPrototypeSlice(rest, protocol[1].length);
  }
  const slashes = StringPrototypeStartsWith(rest, '//');
  if (slashes && (slashesDenoteHost || result.protocol === null || primordials.SetPrototypeHas(kSlashedProtocols, result.protocol))) {
    result.slashes = true;
    rest = StringPrototypeSlice(rest, 2);
    const match = RegExpPrototypeExec(/[/\\]/, rest);
    const end = match === null ? rest.length : match.index;
    let host = StringPrototypeSlice(rest, 0, end);
    rest = StringPrototypeSlice(rest, end);
    const at = primordials.StringPrototypeLastIndexOf(host, '@');
    if (at !== -1) {
      result.auth = decodeURIComponent(StringPrototypeSlice(host, 0, at));
      host = StringPrototypeSlice(host, at + 1);
    }
    const port = RegExpPrototypeExec(/:([0-9]*)$/, host);
    if (port !== null) {
      if (port[1] !== '') result.port = port[1];
      host = StringPrototypeSlice(host, 0, host.length - port[0].length);
    }
    let hostname = StringPrototypeToLowerCase(host);
    if (hostname[0] === '[' && hostname[hostname.length - 1] === ']') {
      hostname = StringPrototypeSlice(hostname, 1, -1);
      result.host = `[${hostname}]${result.port ? `:${result.port}` : ''}`;
    } else {
      hostname = domainToAscii(hostname);
      result.host = `${hostname}${result.port ? `:${result.port}` : ''}`;
    }
    result.hostname = hostname;
    if (rest === '' && primordials.SetPrototypeHas(kSlashedProtocols, result.protocol)) rest = '/';
  }
  result.pathname = rest === '' ? (result.slashes ? '/' : null) : rest;
  if (result.pathname !== null && result.slashes && primordials.SetPrototypeHas(kSlashedProtocols, result.protocol) && rest === '') {
    result.pathname = '/';
  }
  result.path = result.pathname === null && result.search === null ? null
    : `${result.pathname ?? ''}${result.search ?? ''}`;
  result.href = urlFormat(result);
  return result;
}

function urlFormat(object, options) {
  if (typeof object === 'string') object = urlParse(object);
  if (object instanceof URL) {
    const copy = new URL(object.href);
    if (options?.auth === false) {
      copy.username = '';
      copy.password = '';
    }
    if (options?.fragment === false) copy.hash = '';
    if (options?.search === false) copy.search = '';
    return copy.href;
  }
  if (object === null || typeof object !== 'object') throw codes.ERR_INVALID_ARG_TYPE('urlObject', ['Object', 'string'], object);
  let protocol = object.protocol || '';
  if (protocol && protocol[protocol.length - 1] !== ':') protocol += ':';
  let auth = object.auth ? `${encodeURIComponent(object.auth).replace(/%3A/i, ':')}@` : '';
  let host = '';
  if (object.host) {
    host = auth + object.host;
  } else if (object.hostname) {
    const hostname = StringPrototypeIndexOf(object.hostname, ':') === -1 ? object.hostname : `[${object.hostname}]`;
    host = auth + hostname + (object.port ? `:${object.port}` : '');
  }
  auth = '';
  let pathname = object.pathname || '';
  let hash = object.hash || '';
  let search = object.search || '';
  if (!search && object.query && typeof object.query === 'object') {
    const query = require('querystring').stringify(object.query);
    if (query) search = `?${query}`;
  }
  if (search && search[0] !== '?') search = `?${search}`;
  if (hash && hash[0] !== '#') hash = `#${hash}`;
  if (object.slashes || (primordials.SetPrototypeHas(kSlashedProtocols, protocol) && host !== '') || (protocol === 'file:' && host === '' && object.slashes !== false && pathname[0] === '/')) {
    host = `//${host}`;
    if (pathname && pathname[0] !== '/') pathname = `/${pathname}`;
  }
  pathname = primordials.RegExpPrototypeSymbolReplace(/[?#]/g, pathname, encodeURIComponent);
  search = primordials.RegExpPrototypeSymbolReplace(/#/g, search, '%23');
  return `${protocol}${host}${pathname}${search}${hash}`;
}

function urlResolve(from, to) {
  const base = new URL(from, 'resolve://');
  const resolved = new URL(to, base);
  if (resolved.protocol === 'resolve:') {
    const { pathname, search, hash } = resolved;
    if (!StringPrototypeStartsWith(from, '/') && pathname[0] === '/') {
      return `${StringPrototypeSlice(pathname, 1)}${search}${hash}`;
    }
    return `${pathname}${search}${hash}`;
  }
  return resolved.href;
}

module.exports = {
  URL,
  URLSearchParams,
  Url,
  parse: urlParse,
  format: urlFormat,
  resolve: urlResolve,
  resolveObject: (from, to) => urlParse(urlResolve(from, to)),
  fileURLToPath,
  pathToFileURL,
  urlToHttpOptions,
  domainToASCII: domainToAscii,
  domainToUnicode: (domain) => domain,
};
