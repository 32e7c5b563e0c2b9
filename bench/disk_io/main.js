'use strict';

// kiln:disk throughput on the first disk, for bench/disk_io.sh: 4 KiB random reads and
// writes with 1 and with 64 requests in flight, write+flush round trips, and 1 MiB
// sequential writes. Prints one Markdown table row per measurement.

const { disks, open } = require('kiln:disk');

const SECONDS = Number(process.env.BENCH_SECONDS) || 3;

// Runs `operation(i)` with `depth` in flight until SECONDS have passed; → operations/s.
async function measure(depth, operation) {
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: depth }, async () => {
    while (Date.now() < end) {
      await operation(next++);
      done++;
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return done / seconds;
}

async function main() {
  const [first] = disks();
  if (!first) throw new Error('no disk: attach one (kiln run --disk) or set KILN_DISKS');
  const disk = open(first.name);
  const blocks = Math.floor(disk.size / 4096);
  let seed = 12345;
  const randomBlock = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed % blocks) * 4096;
  };
  const page = Buffer.alloc(4096, 0x5a);
  const row = (what, perSecond, unit = 'ops/s', scale = 1) =>
    console.log(`| ${what} | ${(perSecond * scale).toFixed(unit === 'ops/s' ? 0 : 1)} ${unit} |`);

  // Fill the disk once, so reads are not of holes in a sparse file.
  const mib = Buffer.alloc(1024 * 1024, 0xa5);
  for (let offset = 0; offset + mib.length <= disk.size; offset += mib.length) await disk.write(offset, mib);
  await disk.flush();

  row('4 KiB random reads, 1 in flight', await measure(1, () => disk.read(randomBlock(), 4096)));
  row('4 KiB random reads, 64 in flight', await measure(64, () => disk.read(randomBlock(), 4096)));
  row('4 KiB random writes, 1 in flight', await measure(1, () => disk.write(randomBlock(), page)));
  row('4 KiB random writes, 64 in flight', await measure(64, () => disk.write(randomBlock(), page)));
  row('4 KiB write + flush, 1 in flight', await measure(1, async () => {
    await Promise.all([disk.write(randomBlock(), page), disk.flush()]);
  }));
  const sequential = await measure(4, (i) => disk.write((i * mib.length) % (disk.size - mib.length + 1), mib));
  row('1 MiB sequential writes, 4 in flight', sequential, 'MiB/s');
  await disk.close();
}

main();
