'use strict';

// fetch(), Request and Response (Fetch Standard, the parts servers and scripts use)
// over the http client: http: URLs only, redirects followed (up to 20, §4.4), bodies
// from strings, Buffers/ArrayBuffers/views and URLSearchParams, read with text(),
// json(), arrayBuffer(); AbortSignal; failures reject with TypeError('fetch failed')
// whose `cause` is the Node error. No streaming `body`, no Blob/FormData, no
// content-encoding (requests ask for identity), no https (no TLS in Kiln yet).

const {
  ArrayBufferIsView, JSONParse, ObjectDefineProperties, ObjectFreeze, Promise, StringPrototypeToUpperCase, Symbol,
  SymbolToStringTag, TypeError, RangeError, Uint8Array,
} = primordials;
const { Buffer } = require('buffer');
const { Headers, setGuard, headersToArray } = require('internal/fetch/headers');

const kBody = Symbol('kBody');
const kUsed = Symbol('kUsed');
const kState = Symbol('kState');

const nullBodyStatus = [101, 103, 204, 205, 304];
const redirectStatus = [301, 302, 303, 307, 308];
const kForbiddenMethods = ['CONNECT', 'TRACE', 'TRACK'];
const kNormalizedMethods = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

// → { bytes: Buffer, type: string|null }
function extractBody(body) {
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) {
    return { bytes: Buffer.from(body.toString(), 'utf8'), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  if (body instanceof ArrayBuffer) return { bytes: Buffer.from(new Uint8Array(body.slice(0))), type: null };
  if (ArrayBufferIsView(body)) {
    return { bytes: Buffer.from(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)), type: null };
  }
  if (body && typeof body === 'object' && typeof body[primordials.SymbolAsyncIterator] === 'function') {
    throw new TypeError('fetch: streaming request bodies are not supported in Kiln');
  }
  return { bytes: Buffer.from(`${body}`, 'utf8'), type: 'text/plain;charset=UTF-8' };
}

function consume(object) {
  if (object[kUsed]) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
  object[kUsed] = true;
  return Promise.resolve(object[kBody] ?? Buffer.alloc(0));
}

const bodyMixin = {
  text() {
    return consume(this).then((bytes) => new TextDecoder().decode(bytes));
  },
  json() {
    return this.text().then((text) => JSONParse(text));
  },
  arrayBuffer() {
    return consume(this).then((bytes) => {
      const out = new ArrayBuffer(bytes.length);
      new Uint8Array(out).set(bytes);
      return out;
    });
  },
  bytes() {
    return consume(this).then((bytes) => new Uint8Array(bytes));
  },
  blob() {
    return Promise.reject(codes().ERR_NOT_IMPLEMENTED('Body.blob()'));
  },
  formData() {
    return Promise.reject(codes().ERR_NOT_IMPLEMENTED('Body.formData()'));
  },
};

function codes() {
  return require('internal/net/errors').codes;
}

function addBodyMixin(Class) {
  for (const name of ['text', 'json', 'arrayBuffer', 'bytes', 'blob', 'formData']) {
    Class.prototype[name] = bodyMixin[name];
  }
  ObjectDefineProperties(Class.prototype, {
    bodyUsed: {
      configurable: true,
      get() {
        return this[kUsed];
      },
    },
    body: {
      configurable: true,
      // FIXME: no ReadableStream in Kiln yet; the body is only readable through the
      // text()/json()/arrayBuffer() methods.
      get() {
        return null;
      },
    },
  });
}

class Request {
  constructor(input, init = {}) {
    let url;
    let base = {};
    if (input instanceof Request) {
      base = input[kState];
      url = base.url;
    } else {
      try {
        url = new URL(`${input}`);
      } catch (error) {
        throw new TypeError(`Failed to parse URL from ${input}`, { cause: error });
      }
    }
    let method = init.method !== undefined ? `${init.method}` : (base.method ?? 'GET');
    const upper = StringPrototypeToUpperCase(method);
    if (kNormalizedMethods.includes(upper)) method = upper;
    if (kForbiddenMethods.includes(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
    this[kState] = {
      url,
      method,
      redirect: init.redirect ?? base.redirect ?? 'follow',
      signal: init.signal ?? base.signal ?? null,
    };
    this.headersObject = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    this[kBody] = input instanceof Request ? input[kBody] : null;
    this[kUsed] = false;
    if (init.body !== undefined && init.body !== null) {
      if (method === 'GET' || method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
      const { bytes, type } = extractBody(init.body);
      this[kBody] = bytes;
      if (type !== null && !this.headersObject.has('content-type')) this.headersObject.set('content-type', type);
    }
  }

  get url() {
    return this[kState].url.href;
  }

  get method() {
    return this[kState].method;
  }

  get headers() {
    return this.headersObject;
  }

  get redirect() {
    return this[kState].redirect;
  }

  get signal() {
    return this[kState].signal;
  }

  clone() {
    if (this[kUsed]) throw new TypeError('Request.clone: Body has already been consumed.');
    return new Request(this);
  }

  get [SymbolToStringTag]() {
    return 'Request';
  }
}
addBodyMixin(Request);

class Response {
  constructor(body = null, init = {}) {
    const status = init.status ?? 200;
    if (status < 200 || status > 599) {
      throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
    }
    this[kState] = {
      status,
      statusText: init.statusText ?? '',
      url: '',
      redirected: false,
      type: 'default',
    };
    this.headersObject = new Headers(init.headers);
    this[kBody] = null;
    this[kUsed] = false;
    if (body !== null && body !== undefined) {
      if (nullBodyStatus.includes(status)) throw new TypeError('Response with null body status cannot have body');
      const { bytes, type } = extractBody(body);
      this[kBody] = bytes;
      if (type !== null && !this.headersObject.has('content-type')) this.headersObject.set('content-type', type);
    }
  }

  static error() {
    const response = new Response(null, { status: 200 });
    response[kState].status = 0;
    response[kState].type = 'error';
    return response;
  }

  static json(data, init = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(primordials.JSONStringify(data), { ...init, headers });
  }

  static redirect(url, status = 302) {
    if (!redirectStatus.includes(status)) throw new RangeError(`Invalid status code ${status}`);
    const parsed = new URL(`${url}`);
    return new Response(null, { status, headers: { location: parsed.href } });
  }

  get status() {
    return this[kState].status;
  }

  get ok() {
    return this[kState].status >= 200 && this[kState].status <= 299;
  }

  get statusText() {
    return this[kState].statusText;
  }

  get headers() {
    return this.headersObject;
  }

  get url() {
    return this[kState].url;
  }

  get redirected() {
    return this[kState].redirected;
  }

  get type() {
    return this[kState].type;
  }

  clone() {
    if (this[kUsed]) throw new TypeError('Response.clone: Body has already been consumed.');
    const copy = new Response(null, { status: this.status === 0 ? 200 : this.status, statusText: this.statusText,
      headers: this.headers });
    copy[kState] = { ...this[kState] };
    copy[kBody] = this[kBody];
    return copy;
  }

  get [SymbolToStringTag]() {
    return 'Response';
  }
}
addBodyMixin(Response);
for (const Class of [Request, Response]) {
  primordials.ObjectDefineProperty(Class.prototype, 'headersObject', { writable: true, enumerable: false, value: null });
}

function fetchFailed(cause) {
  return new TypeError('fetch failed', { cause });
}

function abortReason(signal) {
  if (signal.reason !== undefined) return signal.reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

function fetch(input, init = undefined) {
  let request;
  try {
    request = new Request(input, init ?? {});
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const signal = request.signal;
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    httpFetch(request, request[kState].url, request.method, request[kBody], 0, resolve, reject);
  });
}

function httpFetch(request, url, method, body, redirects, resolve, reject) {
  if (url.protocol !== 'http:') {
    reject(fetchFailed(codes().ERR_NOT_IMPLEMENTED(`fetch of ${url.protocol} URLs`)));
    return;
  }
  const http = require('http');
  const headers = headersToArray(request.headers);
  const names = new primordials.Set();
  for (let i = 0; i < headers.length; i += 2) names.add(headers[i]);
  if (!names.has('accept')) headers.push('accept', '*/*');
  if (!names.has('accept-language')) headers.push('accept-language', '*');
  if (!names.has('sec-fetch-mode')) headers.push('sec-fetch-mode', 'cors');
  if (!names.has('user-agent')) headers.push('user-agent', 'kiln');
  if (!names.has('accept-encoding')) headers.push('accept-encoding', 'identity');
  if (body !== null) headers.push('content-length', `${body.length}`);
  headers.push('host', url.port ? `${url.hostname}:${url.port}` : url.hostname);
  const signal = request.signal;
  let settled = false;
  const req = http.request({
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port || 80,
    path: `${url.pathname}${url.search}`,
    method,
    headers,
    setHost: false,
  });
  const onAbort = () => {
    if (settled) return;
    settled = true;
    req.destroy();
    reject(abortReason(signal));
  };
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  const done = () => {
    if (signal) signal.removeEventListener('abort', onAbort);
  };
  req.on('error', (error) => {
    done();
    if (settled) return;
    settled = true;
    reject(fetchFailed(error));
  });
  req.on('response', (res) => {
    const status = res.statusCode;
    if (redirectStatus.includes(status) && res.headers.location !== undefined && request.redirect !== 'manual') {
      res.resume();
      if (request.redirect === 'error') {
        settled = true;
        done();
        reject(fetchFailed(new TypeError('unexpected redirect')));
        return;
      }
      if (redirects >= 20) {
        settled = true;
        done();
        reject(fetchFailed(new TypeError('redirect count exceeded')));
        return;
      }
      let next;
      try {
        next = new URL(res.headers.location, url);
      } catch (error) {
        settled = true;
        done();
        reject(fetchFailed(error));
        return;
      }
      // §4.4 step 12: 303 (and 301/302 after POST) continue as GET without a body.
      let nextMethod = method;
      let nextBody = body;
      if (status === 303 && method !== 'GET' && method !== 'HEAD') {
        nextMethod = 'GET';
        nextBody = null;
      } else if ((status === 301 || status === 302) && method === 'POST') {
        nextMethod = 'GET';
        nextBody = null;
      }
      settled = true;
      done();
      httpFetch(request, next, nextMethod, nextBody, redirects + 1, (response) => {
        response[kState].redirected = true;
        resolve(response);
      }, reject);
      return;
    }
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('error', (error) => {
      done();
      if (settled) return;
      settled = true;
      reject(fetchFailed(error));
    });
    res.on('end', () => {
      done();
      if (settled) return;
      settled = true;
      const response = new Response(null, { status: 200 });
      response[kState].status = status;
      response[kState].statusText = res.statusMessage;
      response[kState].url = url.href;
      response[kState].type = 'basic';
      const responseHeaders = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        try {
          responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        } catch {
          // A header a browser would drop.
        }
      }
      setGuard(responseHeaders, 'immutable');
      response.headersObject = responseHeaders;
      response[kBody] = Buffer.concat(chunks);
      resolve(response);
    });
  });
  if (body !== null) req.end(body);
  else req.end();
}

module.exports = { fetch, Request, Response, Headers };
