'use strict';
// stream/promises pipeline through a Transform and an async generator, objectMode and
// highWaterMark accounting, async iteration (with break), Readable.from, and an error in
// the middle of a pipeline destroying every stage; compared with Node 20.
const { Readable, Writable, Transform, PassThrough, pipeline } = require('stream');
const { pipeline: pipelineAsync } = require('stream/promises');

async function main() {
  const collected = [];
  await pipelineAsync(
    Readable.from(['alpha', 'beta', 'gamma']),
    new Transform({
      transform(chunk, encoding, callback) {
        callback(null, chunk.toString().toUpperCase());
      },
    }),
    async function* exclaim(source) {
      for await (const chunk of source) yield `${chunk}!`;
    },
    new Writable({
      write(chunk, encoding, callback) {
        collected.push(chunk.toString());
        callback();
      },
    }),
  );
  console.log('pipeline', collected);

  const objects = new Readable({ objectMode: true, highWaterMark: 2, read() {} });
  console.log('push results', objects.push({ n: 1 }), objects.push({ n: 2 }), objects.push({ n: 3 }));
  console.log('readableLength', objects.readableLength, objects.readableHighWaterMark);
  objects.push(null);
  const seen = [];
  for await (const item of objects) seen.push(item.n);
  console.log('iterated', seen, objects.destroyed);

  const numbers = Readable.from([1, 2, 3, 4, 5]);
  for await (const n of numbers) {
    if (n === 3) break;
  }
  console.log('after break destroyed', numbers.destroyed);

  const slow = new Writable({
    highWaterMark: 10,
    write(chunk, encoding, callback) {
      setTimeout(callback, 1);
    },
  });
  const results = [];
  for (let i = 0; i < 4; i++) results.push(slow.write('abcd'));
  console.log('write results', results, slow.writableLength, slow.writableNeedDrain);
  await new Promise((resolve) => slow.once('drain', resolve));
  console.log('drained', slow.writableLength);
  slow.end();

  const order = [];
  const source = new Readable({ read() {} });
  const middle = new PassThrough();
  const sink = new Writable({ write(chunk, encoding, callback) { callback(); } });
  for (const [name, stream] of [['source', source], ['middle', middle], ['sink', sink]]) {
    stream.on('close', () => order.push(`${name} closed`));
  }
  pipeline(source, middle, sink, (error) => {
    console.log('pipeline error', error.message);
    setImmediate(() => console.log(order.sort().join(', ')));
  });
  source.push('data');
  setTimeout(() => middle.destroy(new Error('middle failed')), 5);
}
main();
