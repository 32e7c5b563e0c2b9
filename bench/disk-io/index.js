'use strict';

// Disk throughput through kiln:disk, the same script in the VM and on the host runtime:
// 4 KiB random reads and writes with DEPTH requests in flight (IOPS), and sequential
// 1 MiB reads and writes (MB/s). Writes end with flush(), which is counted: a write is
// only durable once a flush covering it has resolved. Prints one line per measure,
// "disk-io: NAME VALUE UNIT", for bench/disk_io.sh to collect.
//
// Environment: DISK (default: the first disk), SECONDS_PER_TEST (default 3), DEPTH (32).

const disk = require('kiln:disk');

const seconds = Number(process.env.SECONDS_PER_TEST) || 3;
const depth = Number(process.env.DEPTH) || 32;

async function main() {
  const name = process.env.DISK || (disk.disks()[0] || {}).name;
  if (!name) throw new Error('no disk attached (kiln run --disk FILE:SIZE, or KILN_DISKS on the host)');
  const handle = await disk.open(name);
  const blocks = Math.floor(handle.size / 4096);
  const block = new Uint8Array(4096).fill(0x5a);
  const randomBlock = () => Math.floor(Math.random() * blocks) * 4096;

  // Random 4 KiB operations, `depth` at a time, for `seconds`.
  async function random(operation) {
    const end = performance.now() + seconds * 1000;
    let done = 0;
    async function lane() {
      while (performance.now() < end) {
        await operation(randomBlock());
        done++;
      }
    }
    const start = performance.now();
    await Promise.all(Array.from({ length: depth }, lane));
    if (operation === write) await handle.flush();
    return done / ((performance.now() - start) / 1000);
  }
  const read = (offset) => handle.read(offset, 4096);
  const write = (offset) => handle.write(offset, block);

  // Sequential 1 MiB operations over the disk (wrapping), 4 at a time, for `seconds`.
  const chunk = new Uint8Array(1 << 20).fill(0xa5);
  const chunks = Math.floor(handle.size / chunk.length);
  async function sequential(writing) {
    const end = performance.now() + seconds * 1000;
    let next = 0;
    let bytes = 0;
    async function lane() {
      while (performance.now() < end) {
        const offset = (next++ % chunks) * chunk.length;
        if (writing) await handle.write(offset, chunk);
        else await handle.read(offset, chunk.length);
        bytes += chunk.length;
      }
    }
    const start = performance.now();
    await Promise.all(Array.from({ length: 4 }, lane));
    if (writing) await handle.flush();
    return bytes / 1e6 / ((performance.now() - start) / 1000);
  }

  if (chunks < 1) throw new Error(`disk ${name} is smaller than 1 MiB`);
  // Write first so that reads find allocated blocks in a sparse file.
  console.log(`disk-io: sequential-write ${(await sequential(true)).toFixed(1)} MB/s`);
  console.log(`disk-io: sequential-read ${(await sequential(false)).toFixed(1)} MB/s`);
  console.log(`disk-io: random-write-4k ${(await random(write)).toFixed(0)} IOPS`);
  console.log(`disk-io: random-read-4k ${(await random(read)).toFixed(0)} IOPS`);
  handle.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
