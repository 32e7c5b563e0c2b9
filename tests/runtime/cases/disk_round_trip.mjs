// kiln:disk round trips on the first disk: any byte offset and length, the last byte,
// every kind of input, reads that return Buffers, zero-length requests.
import disk, { disks, open, Disk } from 'kiln:disk';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
console.log('same module both ways:', require('kiln:disk') === disk, disk.open === open);

const list = disks();
console.log('disks:', list.length, list.map((d) => `${d.name} ${d.size} ${d.blockSize} ${d.readOnly}`).join('; '));
console.log('frozen entries:', Object.isFrozen(list[0]), typeof list[0].path);

const vda = open('vda');
console.log('handle:', vda instanceof Disk, vda.name, vda.size, vda.blockSize, vda.readOnly);
console.log('read-only properties:', Reflect.set(vda, 'size', 1), vda.size);

const text = new TextEncoder().encode('unaligned bytes across a sector boundary');
console.log('wrote', await vda.write(500, text));
const back = await vda.read(500, text.length);
console.log('read back:', Buffer.isBuffer(back), back instanceof Uint8Array, back.toString());

// The last byte of the disk, and a read that ends exactly at the end.
await vda.write(vda.size - 1, new Uint8Array([0xab]));
const tail = await vda.read(vda.size - 4, 4);
console.log('tail:', [...tail].join(' '));

// ArrayBuffer, DataView, Int32Array and Buffer inputs write their bytes.
await vda.write(4096, new Uint8Array([1, 2, 3, 4]).buffer);
await vda.write(4100, new DataView(new Uint8Array([9, 8, 7, 6, 5]).buffer, 1, 3));
await vda.write(4103, new Int32Array([0x04030201]));
await vda.write(4107, Buffer.from('xyz'));
console.log('inputs:', [...(await vda.read(4096, 14))].join(' '));

// A write that spans many sectors, unaligned at both ends.
const big = new Uint8Array(70000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 9)) & 0xff;
await vda.write(12345, big);
await vda.flush();
const bigBack = await vda.read(12345, big.length);
console.log('70000 bytes at 12345 intact:', Buffer.compare(bigBack, big) === 0);
// Neighbours of that write are untouched (still zero).
const edges = await vda.read(12344, 1);
const after = await vda.read(12345 + big.length, 1);
console.log('neighbours untouched:', edges[0], after[0]);

console.log('empty read:', (await vda.read(100, 0)).length, 'empty write:', await vda.write(vda.size, new Uint8Array(0)));
console.log('flush resolves with:', await vda.flush());
console.log('close resolves with:', await vda.close());

// Another handle on the same disk sees what the first one wrote.
const again = open('vda');
console.log('reopened:', (await again.read(500, 9)).toString());
await again.close();

// A disk left open with nothing pending does not keep the program alive (this case
// would time out), while a pending request does: this write still completes.
const leftOpen = open('vda');
leftOpen.write(0, Buffer.from('late')).then((n) => console.log('late write completes:', n));
