// kiln:disk refuses bad requests with Node-style codes and keeps working afterwards:
// argument types and ranges, a read-only disk, unknown names, use after close.
const { disks, open } = require('kiln:disk');

async function outcome(promise) {
  try {
    const value = await promise;
    return `ok ${value instanceof Uint8Array ? `${value.length} bytes` : value}`;
  } catch (error) {
    return error.code;
  }
}

function thrown(fn) {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error.code;
  }
}

async function main() {
  console.log('disks:', disks().map((d) => `${d.name}${d.readOnly ? ' ro' : ''}`).join(', '));
  const disk = open('vda');
  const size = disk.size;
  const bad = [
    ['read(-1, 1)', disk.read(-1, 1)],
    ['read(0.5, 1)', disk.read(0.5, 1)],
    ['read(NaN, 1)', disk.read(NaN, 1)],
    ["read('0', 1)", disk.read('0', 1)],
    ['read(0n, 1)', disk.read(0n, 1)],
    ['read(0)', disk.read(0)],
    ['read(0, -1)', disk.read(0, -1)],
    ['read(size, 1)', disk.read(size, 1)],
    ['read(size - 1, 2)', disk.read(size - 1, 2)],
    ['read(2 ** 60, 1)', disk.read(2 ** 60, 1)],
    ['write(0, "text")', disk.write(0, 'text')],
    ['write(0, [1, 2])', disk.write(0, [1, 2])],
    ['write(size - 2, 3 bytes)', disk.write(size - 2, new Uint8Array(3))],
    ['write(Infinity, 1 byte)', disk.write(Infinity, new Uint8Array(1))],
  ];
  for (const [what, promise] of bad) console.log(what, '->', await outcome(promise));
  console.log('still works:', await outcome(disk.write(size - 3, Buffer.from('end'))),
    (await disk.read(size - 3, 3)).toString());

  const error = await disk.read(-1, 1).catch((e) => e);
  console.log('range error:', error instanceof RangeError, error.message);

  const readOnly = open('vdb');
  console.log('read-only:', readOnly.readOnly, await outcome(readOnly.write(0, Buffer.from('x'))),
    await outcome(readOnly.read(0, 4)), await outcome(readOnly.flush()));
  const erofs = await readOnly.write(0, Buffer.from('x')).catch((e) => e);
  console.log('EROFS details:', erofs.errno, erofs.syscall, erofs.message.startsWith('EROFS: read-only file system, write'));

  console.log('open(unknown):', thrown(() => open('vdz')), 'open(42):', thrown(() => open(42)));
  console.log('open(relative path):', thrown(() => open('cases/x.img')));
  console.log('open(missing absolute path):', thrown(() => open('/no/such/disk.img')));
  const unknown = (() => { try { open('vdz'); } catch (e) { return e; } })();
  console.log('unknown message:', unknown.message);

  // Requests made before close() settle normally; close() waits for them.
  const pending = disk.write(0, Buffer.from('last words'));
  const closing = disk.close();
  console.log('same close promise:', disk.close() === closing);
  console.log('after close:', await outcome(disk.read(0, 1)), await outcome(disk.write(0, Buffer.from('x'))),
    await outcome(disk.flush()));
  console.log('pending write:', await outcome(pending));
  await closing;
  const reopened = open('vda');
  console.log('reopened sees:', (await reopened.read(0, 10)).toString());
  await reopened.close();
  await readOnly.close();
  console.log('done');
}
main();
