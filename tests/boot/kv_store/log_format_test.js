'use strict';

// examples/kv-store's record format against golden bytes (made with Python's zlib.crc32
// and struct, independently of the JS code), and what the header parser refuses.
//
//   kiln-runtime log_format_test.js APP     (exits 1 on a failed check)

const path = require('path');

const app = path.resolve(process.argv[2]);
const { crc32 } = require(path.join(app, 'crc32'));
const format = require(path.join(app, 'log_format'));

let failures = 0;
function check(condition, message) {
  if (!condition) {
    failures++;
    console.log(`FAIL: ${message}`);
  }
}

check(crc32([Buffer.from('123456789')]) === 0xcbf43926, 'the CRC-32 check value of "123456789"');
check(crc32([Buffer.from('1234'), Buffer.from('56789')]) === 0xcbf43926, 'CRC-32 over chunks');

// put "k" = "hi", sequence 7, after a record whose CRC was 0x12345678.
const golden = Buffer.from('4b564c31e0a3a93f0700000000000000010000000100000002000000000000006b6869', 'hex');
const record = Buffer.alloc(format.recordSize(1, 2));
const crc = format.encodeRecord(record, 0,
  { sequence: 7, kind: format.KIND_PUT, key: Buffer.from('k'), value: Buffer.from('hi') }, 0x12345678);
check(record.equals(golden), `encoded record ${record.toString('hex')}`);
check(crc === 0x3fa9a3e0, `record CRC ${crc.toString(16)}`);
check(format.chainedCrc(0x12345678, golden.subarray(8)) === crc, 'chainedCrc over the record');
check(format.chainedCrc(0x12345679, golden.subarray(8)) !== crc, 'the CRC depends on the previous record');

const header = format.parseHeader(golden.subarray(0, format.HEADER_SIZE), 7);
check(header && header.crc === crc && header.kind === format.KIND_PUT && header.keyLength === 1 &&
  header.valueLength === 2 && header.sequence === 7, `parsed header ${JSON.stringify(header)}`);
check(format.parseHeader(golden.subarray(0, format.HEADER_SIZE), 8) === null, 'a sequence number out of order');

const refused = {
  'bad magic': (h) => h.writeUInt32LE(0x314c564c, 0),
  'unknown kind': (h) => h.writeUInt8(3, 16),
  'non-zero padding': (h) => h.writeUInt8(1, 18),
  'empty key': (h) => h.writeUInt32LE(0, 20),
  'key too long': (h) => h.writeUInt32LE(format.MAX_KEY_BYTES + 1, 20),
  'value too long': (h) => h.writeUInt32LE(format.MAX_VALUE_BYTES + 1, 24),
  'delete with a value': (h) => h.writeUInt8(format.KIND_DELETE, 16),
  'short header': (h) => h.subarray(0, 31),
};
for (const [what, spoil] of Object.entries(refused)) {
  const copy = Buffer.from(golden.subarray(0, format.HEADER_SIZE));
  const spoiled = spoil(copy);
  check(format.parseHeader(Buffer.isBuffer(spoiled) ? spoiled : copy, 7) === null, `a header with ${what} is refused`);
}
console.log(`log format: ${failures === 0 ? 'all checks passed' : `${failures} checks failed`}`);
process.exitCode = failures === 0 ? 0 : 1;
