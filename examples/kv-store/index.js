'use strict';

// kv-store: a key-value store over HTTP, kept in an append-only log on a raw disk
// (kiln:disk). See README.md for the API and the on-disk format.
//
//   PORT (8080)              the port to listen on
//   KV_DISK (the first one)  the disk's name, from kiln:disk's disks()
//   KV_MAX_VALUE_BYTES       the largest value a PUT may store (1 MiB)

const http = require('http');
const { disks, open } = require('kiln:disk');
const { Store, StoreError } = require('./store');

const port = Number(process.env.PORT) || 8080;
const maxValueBytes = Number(process.env.KV_MAX_VALUE_BYTES) || 1024 * 1024;

function send(res, status, body = '', headers = {}) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

// The request's body, or null once it is longer than `limit` bytes.
function readBody(req, limit) {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let length = 0;
    req.on('data', (chunk) => {
      length += chunk.length;
      if (length > limit) {
        req.removeAllListeners('data');
        resolve(null);
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(length > limit ? null : Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

async function handle(store, req, res) {
  const query = req.url.indexOf('?');
  const path = query < 0 ? req.url : req.url.slice(0, query);
  if (!path.startsWith('/')) return send(res, 400, 'bad request target\n');
  if (path === '/') {
    if (req.method !== 'GET') return send(res, 405, 'GET / only\n', { Allow: 'GET' });
    return send(res, 200, `${JSON.stringify(store.stats())}\n`, { 'Content-Type': 'application/json' });
  }
  let key;
  try {
    key = decodeURIComponent(path.slice(1));
  } catch {
    return send(res, 400, 'the key is not valid percent-encoded UTF-8\n');
  }
  switch (req.method) {
    case 'GET': {
      const value = await store.get(key);
      if (value === null) return send(res, 404, 'no such key\n');
      return send(res, 200, value, { 'Content-Type': 'application/octet-stream' });
    }
    case 'PUT': {
      const value = await readBody(req, store.maxValueBytes);
      if (value === null) {
        // The rest of the body is not read: answer and close the connection.
        res.on('finish', () => req.socket.destroy());
        return send(res, 413, `the value is larger than ${store.maxValueBytes} bytes\n`, { Connection: 'close' });
      }
      const created = await store.put(key, value);
      return send(res, created ? 201 : 204);
    }
    case 'DELETE':
      await store.delete(key);
      return send(res, 204);
    default:
      return send(res, 405, 'GET, PUT or DELETE\n', { Allow: 'GET, PUT, DELETE' });
  }
}

async function main() {
  const name = process.env.KV_DISK || disks()[0]?.name;
  if (!name) {
    console.error('kv-store: no disk; attach one (kiln run --disk data.img:64M) or, on a host, name a file ' +
      '(KILN_DISKS=vda=/path/to/file)');
    process.exitCode = 1;
    return;
  }
  const disk = open(name);
  const store = await Store.open(disk, { maxValueBytes });
  const server = http.createServer((req, res) => {
    handle(store, req, res).catch((error) => {
      const status = error instanceof StoreError ? error.status : 500;
      if (status === 500) console.error(`kv-store: ${req.method} ${req.url}: ${error.stack}`);
      if (!res.headersSent) send(res, status, `${error.message}\n`);
      else res.destroy();
    });
  });
  const { records, logBytes, droppedTail, ms } = store.recovery;
  server.listen(port, () => {
    console.log(`kv-store: ${store.index.size} keys from ${records} records (${logBytes} of ${disk.size} bytes of ` +
      `${disk.name}${droppedTail ? ', a torn or unacknowledged tail dropped' : ''}) in ${ms} ms`);
    console.log(`kv-store: listening on http://0.0.0.0:${server.address().port}`);
  });
}

main();
