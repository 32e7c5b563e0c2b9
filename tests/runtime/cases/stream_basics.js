'use strict';
// Readable/Writable/Transform/PassThrough, pipeline (callback and promise), finished,
// setEncoding across a split UTF-8 sequence, backpressure, errors; compared with Node 20.
const { Readable, Writable, Transform, PassThrough, pipeline, finished } = require('stream');
const log = (...a) => console.log(...a);
const r = new Readable({ read() {} });
r.on('data', (c) => log('data', c.toString()));
r.on('end', () => log('end'));
r.on('close', () => log('close'));
r.push('a'); r.push('b'); r.push(null);
const up = new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); } });
const out = [];
const w = new Writable({ highWaterMark: 4, write(chunk, enc, cb) { out.push(chunk.toString()); setTimeout(cb, 50); } });
pipeline(Readable.from(['x', 'yy', 'zzz']), up, w, (err) => log('pipeline done', err, out));
const w2 = new Writable({ highWaterMark: 3, write(c, e, cb) { setImmediate(cb); } });
log('w1', w2.write('ab'), w2.write('cd'), w2.writableLength);
w2.on('drain', () => log('drain'));
w2.end('x', () => log('end cb'));
w2.on('finish', () => log('finish'));
(async () => {
  const chunks = [];
  for await (const c of Readable.from([1, 2, 3])) chunks.push(c);
  log('iter', chunks);
  const rr = new Readable({ read() {} });
  rr.setEncoding('utf8');
  rr.on('readable', () => { let c; while ((c = rr.read()) !== null) log('readable', c); });
  rr.push(Buffer.from([0xe2, 0x82])); rr.push(Buffer.from([0xac])); rr.push(null);
  await new Promise((res) => rr.on('end', res));
  log('rr end');
  const pt = new PassThrough({ objectMode: true });
  finished(pt, (e) => log('finished', e));
  pt.write({ a: 1 }); pt.end(); pt.resume();
  await require('stream/promises').pipeline(Readable.from(['q', 'r']), async function* (src) { for await (const c of src) yield c + '!'; }, new Writable({ objectMode: true, write(c, e, cb) { log('got', c); cb(); } }));
  log('promise pipeline done');
  const d = new Readable({ read() {} }); d.on('error', (e) => log('err', e.message)); d.on('close', () => log('d close')); d.destroy(new Error('boom'));
  const e = new Writable({ write(c, en, cb) { cb(new Error('wfail')); } }); e.on('error', (er) => log('werr', er.message)); e.write('x', (er) => log('wcb', er && er.message));
  const big = new Readable({ highWaterMark: 2, read() {} }); log('push', big.push('abc'), big.readableLength);
  pipeline(new Readable({ read() { this.destroy(new Error('src fail')); } }), new PassThrough(), (er) => log('pl err', er.message));
})();
