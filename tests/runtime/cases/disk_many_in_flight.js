// 256 writes of distinct patterns in flight at once (more than the 128 the runtime gives
// the kernel), one flush issued without waiting for them, then 256 concurrent reads
// that must each see their own pattern; then overlapping-free writes and reads mixed.
const { open } = require('kiln:disk');

const disk = open('vda');
const count = 256;
const stride = 3001; // unaligned, so neighbours share sectors
const length = 2999; // and a gap of 2 bytes between neighbours stays zero

function pattern(index, size) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (index * 131 + i * 7 + (i >> 8)) & 0xff;
  return bytes;
}

async function main() {
  const writes = [];
  let settledBeforeFlush = 0;
  for (let i = 0; i < count; i++) {
    writes.push(disk.write(i * stride, pattern(i, length)).then((n) => { settledBeforeFlush++; return n; }));
  }
  console.log('writes settled synchronously:', settledBeforeFlush);
  const flushed = disk.flush();
  const written = await Promise.all(writes);
  await flushed;
  console.log('writes:', written.length, 'bytes each:', new Set(written).size === 1 ? written[0] : 'mixed');

  const reads = [];
  for (let i = 0; i < count; i++) reads.push(disk.read(i * stride, stride));
  const results = await Promise.all(reads);
  let intact = 0, gapsZero = 0;
  for (let i = 0; i < count; i++) {
    if (results[i].subarray(0, length).equals(pattern(i, length))) intact++;
    if (results[i][length] === 0 && results[i][length + 1] === 0) gapsZero++;
  }
  console.log('patterns intact:', intact, 'gaps still zero:', gapsZero);

  // Reads and writes of separate ranges interleaved, all in flight together.
  const mixed = [];
  const base = count * stride;
  for (let i = 0; i < 100; i++) {
    mixed.push(disk.write(base + i * 4096, pattern(1000 + i, 4096)));
    mixed.push(disk.read(i * stride, length).then((bytes) => bytes.equals(pattern(i, length))));
  }
  const outcomes = await Promise.all(mixed);
  console.log('mixed reads intact:', outcomes.filter((x) => x === true).length);
  await disk.flush();
  let second = 0;
  const rereads = await Promise.all(Array.from({ length: 100 }, (_, i) => disk.read(base + i * 4096, 4096)));
  for (let i = 0; i < 100; i++) if (rereads[i].equals(pattern(1000 + i, 4096))) second++;
  console.log('mixed writes intact:', second);
  await disk.close();
}
main();
