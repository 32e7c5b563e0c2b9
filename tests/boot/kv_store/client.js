'use strict';

// The host side of the kv-store tests (tests/boot/kv_store_*.sh), run by kiln-runtime on
// the host against examples/kv-store on the host or in a VM. Every value is derived from
// its key and a round number, so a later run knows what each key must hold.
//
//   client.js api PORT                    the HTTP API: status codes, exact values, limits
//   client.js api-after-restart PORT      what `api` left is still there after a restart
//   client.js fill PORT COUNT             PUT key-0..key-(COUNT-1) (round 0); all must be acknowledged
//   client.js batch PORT FROM TO ACKS     PUT key-FROM..key-(TO-1) (round 1) all at once, in a
//                                         random order; each acknowledged key is appended to
//                                         the file ACKS at once
//   client.js expect PORT FROM TO ROUND   key-FROM..key-(TO-1) hold exactly their ROUND value
//   client.js verify PORT COUNT FROM TO ACKS  after a crash during `batch`: acknowledged
//                                         keys hold their round-1 value, the others their
//                                         round-0 value (or nothing if they had none) or
//                                         exactly their round-1 value; nothing else exists
//
// Exits 1 when a check fails, printing what differed.

const http = require('http');
const fs = require('fs');

const [mode, portText, ...rest] = process.argv.slice(2);
const port = Number(portText);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let failures = 0;

function check(condition, message) {
  if (!condition) {
    failures++;
    console.log(`FAIL: ${message}`);
  }
}

// → { status, body: Buffer, headers }; rejects when the connection fails.
function request(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

// 1 to 3000 bytes, different for every key and round.
function valueFor(key, round) {
  let state = (hash(key) ^ Math.imul(round + 1, 0x9e3779b1)) >>> 0 || 1;
  const bytes = Buffer.alloc(1 + (hash(`${key}/${round}`) % 3000));
  for (let i = 0; i < bytes.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

const keyName = (i) => `key-${i}`;

async function stats() {
  const response = await request('GET', '/');
  return JSON.parse(response.body.toString());
}

// Runs `task(i)` for i in [from, to), at most `parallel` at a time.
async function each(from, to, parallel, task) {
  let next = from;
  const workers = Array.from({ length: parallel }, async () => {
    while (next < to) await task(next++);
  });
  await Promise.all(workers);
}

const API_KEYS = {
  binary: 'bin/all-bytes',
  unicode: 'ключ/ü✓ key',
  empty: 'empty-value',
  gone: 'deleted',
};
const allBytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i & 0xff));

async function api() {
  const stored = async (key) => request('GET', `/${encodeURIComponent(key)}`);
  let r = await request('GET', '/missing');
  check(r.status === 404, `GET of a missing key: ${r.status}`);
  r = await request('PUT', `/${encodeURIComponent(API_KEYS.binary)}`, allBytes);
  check(r.status === 201, `PUT of a new key: ${r.status}`);
  r = await request('PUT', `/${encodeURIComponent(API_KEYS.binary)}`, allBytes);
  check(r.status === 204, `PUT over an existing key: ${r.status}`);
  r = await stored(API_KEYS.binary);
  check(r.status === 200 && r.body.equals(allBytes), `GET of binary bytes: ${r.status}, ${r.body.length} bytes`);
  r = await request('PUT', `/${encodeURIComponent(API_KEYS.unicode)}`, 'unicode key');
  check(r.status === 201, `PUT of a UTF-8 key with a slash: ${r.status}`);
  r = await stored(API_KEYS.unicode);
  check(r.body.toString() === 'unicode key', `GET of a UTF-8 key: ${r.body}`);
  r = await request('PUT', `/${API_KEYS.empty}`, '');
  check(r.status === 201, `PUT of an empty value: ${r.status}`);
  r = await stored(API_KEYS.empty);
  check(r.status === 200 && r.body.length === 0, `GET of an empty value: ${r.status} ${r.body.length}`);
  r = await request('PUT', `/${API_KEYS.gone}`, 'soon gone');
  r = await request('DELETE', `/${API_KEYS.gone}`);
  check(r.status === 204, `DELETE: ${r.status}`);
  r = await request('DELETE', `/${API_KEYS.gone}`);
  check(r.status === 404, `DELETE of a deleted key: ${r.status}`);
  r = await stored(API_KEYS.gone);
  check(r.status === 404, `GET of a deleted key: ${r.status}`);

  // Bad requests.
  r = await request('GET', '/%E0%A4%A');
  check(r.status === 400, `a key that is not valid percent-encoding: ${r.status}`);
  r = await request('PUT', `/${'k'.repeat(1025)}`, 'x');
  check(r.status === 400, `a 1025-byte key: ${r.status}`);
  r = await request('POST', '/something', 'x');
  check(r.status === 405, `POST: ${r.status}`);
  r = await request('PUT', '/', 'x');
  check(r.status === 405, `PUT /: ${r.status}`);
  const limit = (await stats()).maxValueBytes;
  r = await request('PUT', '/too-big', Buffer.alloc(limit + 1, 1));
  check(r.status === 413, `a value over the limit: ${r.status}`);
  r = await request('PUT', '/at-limit', Buffer.alloc(limit, 2));
  check(r.status === 201, `a value at the limit: ${r.status}`);
  r = await stored('at-limit');
  check(r.body.equals(Buffer.alloc(limit, 2)), `GET of a value at the limit: ${r.body.length} bytes`);

  // 200 concurrent PUTs, all acknowledged with their own value.
  const before = await stats();
  await each(0, 200, 16, async (i) => {
    const response = await request('PUT', `/${keyName(i)}`, valueFor(keyName(i), 0));
    check(response.status === 201, `concurrent PUT ${i}: ${response.status}`);
  });
  await each(0, 200, 16, async (i) => {
    const response = await request('GET', `/${keyName(i)}`);
    check(response.body.equals(valueFor(keyName(i), 0)), `concurrent PUT ${i} reads back differently`);
  });
  const after = await stats();
  check(after.puts - before.puts === 200, `stats count ${after.puts - before.puts} PUTs, not 200`);
  console.log(`api: 200 concurrent PUTs committed in ${after.batches - before.batches} batches ` +
    `(largest ${after.largestBatch})`);

  // Fill the disk: 507 once the log is full, and the store still answers afterwards.
  let full = false;
  for (let i = 0; i < Math.ceil(after.diskBytes / limit) + 2 && !full; i++) {
    r = await request('PUT', `/filler-${i}`, Buffer.alloc(limit, 3));
    full = r.status === 507;
    check(r.status === 201 || r.status === 507, `filling the disk: ${r.status}`);
  }
  check(full, 'the disk never filled up (no 507)');
  r = await stored(API_KEYS.binary);
  check(r.body.equals(allBytes), 'GET after the disk filled up');
  r = await stored(keyName(199));
  check(r.body.equals(valueFor(keyName(199), 0)), 'GET of an earlier key after the disk filled up');
  console.log(`api: ${failures === 0 ? 'all checks passed' : `${failures} checks failed`}`);
}

async function apiAfterRestart() {
  let r = await request('GET', `/${encodeURIComponent(API_KEYS.binary)}`);
  check(r.status === 200 && r.body.equals(allBytes), `binary value after restart: ${r.status}`);
  r = await request('GET', `/${encodeURIComponent(API_KEYS.unicode)}`);
  check(r.body.toString() === 'unicode key', 'UTF-8 key after restart');
  r = await request('GET', `/${API_KEYS.empty}`);
  check(r.status === 200 && r.body.length === 0, `empty value after restart: ${r.status}`);
  r = await request('GET', `/${API_KEYS.gone}`);
  check(r.status === 404, `deleted key after restart: ${r.status}`);
  await each(0, 200, 16, async (i) => {
    const response = await request('GET', `/${keyName(i)}`);
    check(response.body.equals(valueFor(keyName(i), 0)), `${keyName(i)} after restart`);
  });
  const s = await stats();
  check(s.recovered.records === s.records && s.records > 200, `recovered ${s.recovered.records} records`);
  console.log(`api-after-restart: ${s.keys} keys from ${s.recovered.records} records: ` +
    `${failures === 0 ? 'all checks passed' : `${failures} checks failed`}`);
}

async function fill(count) {
  let acknowledged = 0;
  await each(0, count, 16, async (i) => {
    const response = await request('PUT', `/${keyName(i)}`, valueFor(keyName(i), 0));
    check(response.status === 201 || response.status === 204, `PUT ${keyName(i)}: ${response.status}`);
    if (response.status === 201 || response.status === 204) acknowledged++;
  });
  console.log(`fill: ${acknowledged} of ${count} PUTs acknowledged; the log ends at ${(await stats()).logBytes}`);
}

async function batch(from, to, ackFile) {
  let acknowledged = 0;
  let failed = 0;
  // In a random order, so that a crash finds overwrites and new keys mixed; every
  // request is started at once, and the agent sends them over 16 connections.
  const order = Array.from({ length: to - from }, (_, n) => from + n);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  await Promise.all(order.map(async (index) => {
    const key = keyName(index);
    try {
      const response = await request('PUT', `/${key}`, valueFor(key, 1));
      if (response.status === 201 || response.status === 204) {
        fs.appendFileSync(ackFile, `${key}\n`);
        acknowledged++;
      } else {
        failed++;
      }
    } catch {
      failed++;
    }
  }));
  console.log(`batch: ${acknowledged} acknowledged, ${failed} failed or cut off`);
}

async function expect(from, to, round) {
  let matching = 0;
  await each(from, to, 16, async (i) => {
    const response = await request('GET', `/${keyName(i)}`);
    if (response.status === 200 && response.body.equals(valueFor(keyName(i), round))) matching++;
    else check(false, `${keyName(i)} is ${response.status}, ${response.body.length} bytes, not its round-${round} value`);
  });
  const s = await stats();
  console.log(`expect: ${matching} of ${to - from} keys hold their round-${round} value; ${s.keys} keys from ` +
    `${s.recovered.records} records${s.recovered.droppedTail ? ', torn tail dropped' : ''}`);
}

async function verify(count, from, to, ackFile) {
  const acked = new Set(fs.readFileSync(ackFile, 'utf8').split('\n').filter(Boolean));
  const tally = { intact: 0, ackedPresent: 0, unackedNew: 0, unackedOld: 0, unackedAbsent: 0 };
  let present = 0;
  await each(0, Math.max(count, to), 16, async (i) => {
    const key = keyName(i);
    const response = await request('GET', `/${key}`);
    const inBatch = i >= from && i < to;
    const hadOld = i < count;
    if (response.status === 200) present++;
    const is = (round) => response.status === 200 && response.body.equals(valueFor(key, round));
    if (!inBatch) {
      check(is(0), `${key} (not in the batch) is ${response.status}, ${response.body.length} bytes`);
      if (is(0)) tally.intact++;
    } else if (acked.has(key)) {
      check(is(1), `${key} was acknowledged but is ${response.status}, ${response.body.length} bytes`);
      if (is(1)) tally.ackedPresent++;
    } else if (is(1)) {
      tally.unackedNew++;
    } else if (hadOld && is(0)) {
      tally.unackedOld++;
    } else if (!hadOld && response.status === 404) {
      tally.unackedAbsent++;
    } else {
      check(false, `${key} (unacknowledged) is ${response.status}, ${response.body.length} bytes: ` +
        'neither its old value, nor its new one, nor absent');
    }
  });
  const s = await stats();
  check(s.keys === present, `the store has ${s.keys} keys, ${present} of them expected`);
  console.log(`verify: ${tally.intact} untouched keys intact, ${tally.ackedPresent} of ${acked.size} acknowledged ` +
    `present, unacknowledged: ${tally.unackedNew} new value, ${tally.unackedOld} old value, ${tally.unackedAbsent} ` +
    `absent; ${s.keys} keys from ${s.recovered.records} records` +
    `${s.recovered.droppedTail ? ', torn tail dropped' : ''}`);
}

const modes = {
  api: () => api(),
  'api-after-restart': () => apiAfterRestart(),
  fill: () => fill(Number(rest[0])),
  batch: () => batch(Number(rest[0]), Number(rest[1]), rest[2]),
  expect: () => expect(Number(rest[0]), Number(rest[1]), Number(rest[2])),
  verify: () => verify(Number(rest[0]), Number(rest[1]), Number(rest[2]), rest[3]),
};
if (!modes[mode] || !(port > 0)) {
  console.log('usage: client.js api|api-after-restart|fill|batch|expect|verify PORT ...');
  process.exit(2);
}
modes[mode]().then(() => {
  agent.destroy();
  process.exitCode = failures === 0 ? 0 : 1;
}, (error) => {
  console.log(`FAIL: ${error.stack}`);
  process.exit(1);
});
