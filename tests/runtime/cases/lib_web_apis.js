// EventTarget/Event, AbortController/AbortSignal, DOMException, structuredClone,
// performance, url helpers, querystring, string_decoder and os basics.
const et = new EventTarget();
const h = (e) => console.log('got', e.type, e.target === et, e instanceof Event);
et.addEventListener('x', h); et.addEventListener('x', h); et.addEventListener('x', { handleEvent(e) { console.log('obj', e.type); } }, { once: true });
console.log(et.dispatchEvent(new Event('x')), et.dispatchEvent(new Event('x')));
const ev = new Event('c', { cancelable: true }); et.addEventListener('c', (e) => e.preventDefault()); console.log(et.dispatchEvent(ev), ev.defaultPrevented);
et.removeEventListener('x', h); console.log(et.dispatchEvent(new Event('x')));
const ac = new AbortController(); ac.signal.addEventListener('abort', () => console.log('aborted!', ac.signal.reason.name)); ac.signal.onabort = () => console.log('onabort');
console.log(ac.signal.aborted); ac.abort(); ac.abort(); console.log(ac.signal.aborted, ac.signal.reason instanceof DOMException, ac.signal.reason.message, ac.signal.reason.code);
try { ac.signal.throwIfAborted(); } catch (e) { console.log('threw', e.name); }
const s = AbortSignal.abort('why'); console.log(s.aborted, s.reason);
try { new AbortSignal(); } catch (e) { console.log(e.name, e.message); }
console.log(structuredClone({ a: new Map([[1, new Set([2])]]), d: new Date(0), r: /x/g, b: new Uint8Array([1, 2]), n: null, big: 10n }));
const o = { x: 1 }; o.self = o; const c = structuredClone(o); console.log(c.self === c, c !== o);
try { structuredClone(() => {}); } catch (e) { console.log(e.name, e.message); }
console.log(typeof performance.now(), performance.now() >= 0, performance.timeOrigin > 1.6e12);
const url = require('url');
console.log(url.fileURLToPath('file:///a/b%20c'), url.pathToFileURL('/x y/#z').href, url.format(new URL('http://u:p@h/p?q#f'), { auth: false, fragment: false }));
console.log(url.parse('http://user:pw@Host.COM:8080/p/a/t/h?query=string#hash'));
console.log(url.resolve('http://a/b/c', '../d'), url.resolve('/one/two', 'three'), url.format({ protocol: 'https', hostname: 'x.org', pathname: '/a', query: { b: 1 } }));
const qs = require('querystring'); console.log(qs.parse('a=1&b=2&a=3&c=%20x+y'), qs.stringify({ a: [1, 2], b: 'x y', c: '!' }));
const { StringDecoder } = require('string_decoder'); const sd = new StringDecoder('utf8');
console.log(sd.write(Buffer.from([0xe2])), sd.write(Buffer.from([0x82, 0xac, 0x41])), sd.end(Buffer.from([0xc3])));
const os = require('os'); console.log(os.EOL === '\n', os.platform(), os.arch(), os.cpus().length > 0, os.totalmem() > os.freemem(), typeof os.hostname(), os.tmpdir(), os.type(), os.endianness());
