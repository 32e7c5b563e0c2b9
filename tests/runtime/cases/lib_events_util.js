// events (EventEmitter semantics, once(), errorMonitor) and util (format, inspect,
// promisify, callbackify, inherits, types, TextEncoder/TextDecoder, isDeepStrictEqual).
const EventEmitter = require('events');
const { once, errorMonitor } = EventEmitter;
const e = new EventEmitter();
e.on('newListener', (name) => console.log('newListener', name));
e.on('removeListener', (name) => console.log('removeListener', name));
const a = (x) => console.log('a', x);
e.on('x', a); e.prependListener('x', (x) => console.log('pre', x)); e.once('x', (x) => console.log('once', x));
console.log(e.emit('x', 1), e.emit('x', 2), e.emit('nothing'), e.listenerCount('x'), e.eventNames());
e.off('x', a); console.log(e.listeners('x').length, e.rawListeners('x').length);
e.removeAllListeners('x'); console.log(e.listenerCount('x'));
try { e.emit('error', new Error('boom')); } catch (err) { console.log('thrown', err.message); }
try { e.emit('error', 'str'); } catch (err) { console.log('thrown', err.code, err.message); }
e.on(errorMonitor, (err) => console.log('monitor', err.message)); e.on('error', (err) => console.log('handled', err.message));
e.emit('error', new Error('seen'));
class My extends EventEmitter {}
const m = new My(); m.setMaxListeners(1); console.log(m.getMaxListeners(), EventEmitter.defaultMaxListeners);
(async () => {
  const p = once(m, 'ready'); m.emit('ready', 1, 2); console.log('once resolved', await p);
  const q = once(m, 'never'); m.emit('error', new Error('rejects')); try { await q; } catch (err) { console.log('once rejected', err.message); }
  console.log(require('util').inspect(new EventEmitter(), { depth: 0 }));
})();
const util = require('util');
console.log(util.format('%s %d %i %j %%', 'str', 42.5, 42.5, { a: 1 }), util.inspect({ a: { b: { c: { d: 1 } } } }));
console.log(util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), util.isDeepStrictEqual([1], ['1']), util.isDeepStrictEqual(new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]])), util.isDeepStrictEqual(new Set([{}]), new Set([{}])), util.isDeepStrictEqual(NaN, NaN), util.isDeepStrictEqual(0, -0));
const p = util.promisify((x, cb) => cb(null, x * 2));
p(21).then((v) => {
  console.log('promisify', v);
  util.callbackify(async (x) => x + 1)(1, (err, v) => console.log('callbackify', err, v));
});
function A() {} function B() {} util.inherits(A, B); console.log(new A() instanceof B, A.super_ === B);
console.log(util.types.isDate(new Date()), util.types.isRegExp(/x/), util.types.isPromise(Promise.resolve()), util.types.isUint8Array(Buffer.from('')), util.types.isMap(new Map()), util.types.isAsyncFunction(async () => {}), util.types.isBoxedPrimitive(Object(1)));
const te = new util.TextEncoder(); const td = new util.TextDecoder();
console.log(te.encode('€'), td.decode(te.encode('héllo')), new TextDecoder('utf-16le').decode(Buffer.from('hi', 'utf16le')), new TextDecoder().decode(Buffer.from([0xef, 0xbb, 0xbf, 0x41])), new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.from([0xef, 0xbb, 0xbf, 0x41])).length);
try { new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from([0xff])); } catch (err) { console.log(err.name, err.code, err.message); }
const sd = new TextDecoder(); console.log(sd.decode(Buffer.from([0xe2, 0x82]), { stream: true }) + '|' + sd.decode(Buffer.from([0xac])));
console.log(new TextDecoder().decode(Buffer.from([0xff, 0x41, 0xe2, 0x82])), te.encodeInto('a€b', new Uint8Array(3)));
console.log(util.inspect(new Map([[1, 2]])), util.inspect('str'), util.format('%s', Symbol('s')), util.stripVTControlCharacters('\u001b[31mred\u001b[0m'));

