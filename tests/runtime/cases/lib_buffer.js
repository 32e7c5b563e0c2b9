// Buffer: encodings both ways, from/alloc/concat, slices sharing memory, search,
// compare, integer/float/BigInt accessors with their range errors, atob/btoa.
const encs = ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'utf16le', 'ucs2'];
const inputs = ['hello', 'héllo wörld €', '😀 emoji'.slice(0, 0) + 'emoji', '\ud800 lone', '', 'aGVsbG8=', '68656c6c6f', 'a-_b', 'zz'];
for (const enc of encs) for (const s of inputs) {
  const b = Buffer.from(s, enc);
  console.log(enc, JSON.stringify(s), b, JSON.stringify(b.toString(enc)), b.toString('hex'), b.toString('base64'), Buffer.byteLength(s, enc));
}
const b = Buffer.from([1, 2, 3, 250, 255, 256, -1]);
console.log(b, b.length, b.toJSON(), JSON.stringify(b));
console.log(Buffer.alloc(5, 'ab'), Buffer.alloc(4, 7), Buffer.alloc(3), Buffer.allocUnsafe(2).length);
console.log(Buffer.concat([Buffer.from('a'), Buffer.from('bc')]), Buffer.concat([Buffer.from('abc')], 2));
const s = Buffer.from('hello world');
console.log(s.slice(0, 5).toString(), s.subarray(-5).toString(), s.indexOf('o'), s.lastIndexOf('o'), s.includes('wor'), s.indexOf(Buffer.from('ld')), s.indexOf(111, 5));
const sl = s.slice(0, 5); sl[0] = 72; console.log(s.toString());
console.log(Buffer.compare(Buffer.from('a'), Buffer.from('b')), s.equals(Buffer.from('Hello world')), s.compare(Buffer.from('a')));
const w = Buffer.alloc(10); console.log(w.write('héllo', 1), w, w.write('ff00', 0, 'hex'), w.write('abc', 8, 5, 'latin1'), w);
const n = Buffer.alloc(16);
n.writeUInt32BE(0xdeadbeef, 0); n.writeInt16LE(-2, 4); n.writeDoubleLE(3.14159, 8);
console.log(n, n.readUInt32BE(0), n.readUInt32LE(0), n.readInt16LE(4), n.readDoubleLE(8), n.readUInt8(1), n.readInt8(0));
n.writeBigUInt64BE(0x0102030405060708n, 8); console.log(n.readBigUInt64BE(8), n.readBigInt64LE(8), n.readBigUInt64LE(8));
n.writeFloatBE(1.5, 0); console.log(n.readFloatBE(0), n.readUIntBE(0, 3), n.readIntLE(0, 6), n.writeUIntLE(0x123456, 0, 3), n);
try { n.writeUInt8(256, 0); } catch (e) { console.log(e.code, e.message); }
try { n.readUInt32LE(14); } catch (e) { console.log(e.code, e.message); }
try { Buffer.from({}); } catch (e) { console.log(e.code, e.message); }
try { Buffer.from('x', 'nope'); } catch (e) { console.log(e.code, e.message); }
console.log(Buffer.from('abcd').swap16(), Buffer.from('abcd').swap32(), Buffer.from('abcdefgh').swap64());
console.log(Buffer.isBuffer(s), Buffer.isBuffer(new Uint8Array(1)), Buffer.isEncoding('UTF-8'), Buffer.isEncoding('nope'), s instanceof Uint8Array);
const ab = new ArrayBuffer(8); const v = Buffer.from(ab, 2, 4); v[0] = 9; console.log(new Uint8Array(ab), v.buffer === ab, v.byteOffset);
console.log(Buffer.from(new Uint16Array([1, 258])), Buffer.from(Buffer.from('xy')), Buffer.from({ type: 'Buffer', data: [1, 2] }));
console.log(Buffer.alloc(60, 1));
console.log(atob('aGVsbG8='), btoa('hello'), atob(' aGVs bG8 '));
try { atob('a'); } catch (e) { console.log(e.name, e.message, e instanceof Error); }
console.log(Buffer.from('€').fill('ab'), Buffer.alloc(4).fill(0x101), Buffer.from('abc').toString('utf8', 1), Buffer.from('abc').toString(undefined, 0, 2));
console.log(Buffer.from('ab').readUint16LE(0));
console.log([...Buffer.from('hi').entries()], Buffer.from('hi').map((x) => x + 1));
