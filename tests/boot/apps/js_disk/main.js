// Boot test (tests/boot/js_disk_persistence.sh): kiln:disk across boots. What it does
// depends on the first disk:
// - blank: write 512 distinct patterns at scattered offsets (unaligned ones too), all in
//   flight at once, plus a header naming them, then one flush, then exit;
// - holding the header: read every pattern back and compare byte for byte (the same
//   check runs on the host against the disk file, through KILN_DISKS);
// - read-only: the same verification, and a write must fail with EROFS.
const { disks, open } = require('kiln:disk');

const MAGIC = 'kiln-js-disk-test';
const COUNT = 512;

// Deterministic pseudo-random numbers (xorshift32), so every boot derives the same layout.
function generator(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

// COUNT non-overlapping extents after the 4 KiB header: sizes 1..9000 bytes, gaps of
// 0..700 bytes, so some neighbours share sectors and some offsets are aligned.
function layout(seed, diskSize) {
  const next = generator(seed);
  const extents = [];
  let offset = 4096;
  for (let i = 0; i < COUNT; i++) {
    const gap = i % 5 === 0 ? (512 - (offset % 512)) % 512 : next() % 701;
    const size = 1 + (next() % 9000);
    offset += gap;
    if (offset + size > diskSize) throw new Error(`the disk is too small for the test (${diskSize} bytes)`);
    extents.push({ offset, size, seed: next() });
    offset += size;
  }
  return extents;
}

function pattern(extent) {
  const next = generator(extent.seed);
  const bytes = Buffer.alloc(extent.size);
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(next(), i);
  for (; i < bytes.length; i++) bytes[i] = next() & 0xff;
  return bytes;
}

async function writeAll(disk) {
  const seed = (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const extents = layout(seed, disk.size);
  const header = Buffer.alloc(4096);
  header.write(JSON.stringify({ magic: MAGIC, seed, count: COUNT }));
  const writes = [disk.write(0, header)];
  for (const extent of extents) writes.push(disk.write(extent.offset, pattern(extent)));
  const flushed = disk.flush();
  const written = await Promise.all(writes);
  await flushed;
  const bytes = written.reduce((a, b) => a + b, 0);
  console.log(`js-disk: wrote ${COUNT} patterns (${bytes} bytes) in ${writes.length} concurrent requests, flushed`);
}

async function verifyAll(disk, header) {
  const extents = layout(header.seed, disk.size);
  const reads = await Promise.all(extents.map((extent) => disk.read(extent.offset, extent.size)));
  let matching = 0;
  for (let i = 0; i < extents.length; i++) {
    if (reads[i].equals(pattern(extents[i]))) matching++;
    else console.log(`js-disk: pattern ${i} at ${extents[i].offset} (${extents[i].size} bytes) differs`);
  }
  console.log(`js-disk: verified ${matching} of ${COUNT} patterns byte for byte`);
  return matching === COUNT;
}

async function main() {
  const [first] = disks();
  if (!first) throw new Error('no disk attached');
  const disk = open(first.name);
  console.log(`js-disk: ${first.name} ${disk.size} bytes, block ${disk.blockSize}, read-only ${disk.readOnly}`);
  const text = (await disk.read(0, 4096)).toString().replace(/\0+$/, '');
  const header = text === '' ? null : JSON.parse(text);
  let ok = true;
  if (header === null) {
    await writeAll(disk);
  } else {
    if (header.magic !== MAGIC) throw new Error('the disk holds something else');
    ok = await verifyAll(disk, header);
  }
  if (disk.readOnly) {
    const error = await disk.write(0, Buffer.from('x')).catch((e) => e);
    console.log(`js-disk: write on the read-only disk: ${error.code}`);
    ok = ok && error.code === 'EROFS';
  }
  await disk.close();
  process.exitCode = ok ? 0 : 1;
}
main();
