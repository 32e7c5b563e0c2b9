'use strict';

// The log's record format. The disk is one append-only log from offset 0: records back
// to back, in batches (one write + one flush each) that start on a block boundary, so a
// batch ends with zero padding up to the next boundary.
//
//   offset size  field
//   0      4     magic "KVL1"
//   4      4     CRC-32 of (the previous record's CRC, 4 bytes LE; 0 before the first)
//                followed by bytes 8.. of this record (header rest, key, value)
//   8      8     sequence number: 1 for the first record, then +1 each (u64 LE)
//   16     1     kind: 1 put, 2 delete (a tombstone, no value)
//   17     3     zero
//   20     4     key length in bytes (1..1024; the key is UTF-8)
//   24     4     value length in bytes (0 for a delete)
//   28     4     zero
//   32     ...   key, then value
//
// Chaining each CRC to the previous record's means a record is valid only right after
// the record it was written after: stale records left beyond a torn tail by an earlier
// crash can never be mistaken for the continuation of a log rewritten since.
// Multi-byte fields are little-endian.

const { crc32 } = require('./crc32');

const MAGIC = 0x314c564b; // "KVL1" read as u32 LE
const HEADER_SIZE = 32;
const KIND_PUT = 1;
const KIND_DELETE = 2;
const MAX_KEY_BYTES = 1024;
// The largest value the format admits (the server's own limit may be lower); a longer
// length field is corruption.
const MAX_VALUE_BYTES = 16 * 1024 * 1024;

function recordSize(keyBytes, valueBytes) {
  return HEADER_SIZE + keyBytes + valueBytes;
}

// Writes one record at `target[at...]`; returns its CRC (the next record's `previousCrc`).
function encodeRecord(target, at, { sequence, kind, key, value }, previousCrc) {
  const header = target.subarray(at, at + HEADER_SIZE);
  header.fill(0);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(sequence % 0x100000000, 8);
  header.writeUInt32LE(Math.floor(sequence / 0x100000000), 12);
  header.writeUInt8(kind, 16);
  header.writeUInt32LE(key.length, 20);
  header.writeUInt32LE(value.length, 24);
  target.set(key, at + HEADER_SIZE);
  target.set(value, at + HEADER_SIZE + key.length);
  const crc = chainedCrc(previousCrc, target.subarray(at + 8, at + recordSize(key.length, value.length)));
  header.writeUInt32LE(crc, 4);
  return crc;
}

function chainedCrc(previousCrc, rest) {
  const previous = Buffer.alloc(4);
  previous.writeUInt32LE(previousCrc, 0);
  return crc32([previous, rest]);
}

// The header's fields if they are plausible for the record after `expectedSequence - 1`,
// else null. The CRC is checked separately, once the key and value are read.
function parseHeader(header, expectedSequence) {
  if (header.length < HEADER_SIZE || header.readUInt32LE(0) !== MAGIC) return null;
  const sequence = header.readUInt32LE(8) + header.readUInt32LE(12) * 0x100000000;
  const kind = header.readUInt8(16);
  const keyLength = header.readUInt32LE(20);
  const valueLength = header.readUInt32LE(24);
  if (sequence !== expectedSequence) return null;
  if (kind !== KIND_PUT && kind !== KIND_DELETE) return null;
  if (header.readUIntLE(17, 3) !== 0 || header.readUInt32LE(28) !== 0) return null;
  if (keyLength < 1 || keyLength > MAX_KEY_BYTES || valueLength > MAX_VALUE_BYTES) return null;
  if (kind === KIND_DELETE && valueLength !== 0) return null;
  return { crc: header.readUInt32LE(4), sequence, kind, keyLength, valueLength };
}

module.exports = {
  HEADER_SIZE, KIND_PUT, KIND_DELETE, MAX_KEY_BYTES, MAX_VALUE_BYTES,
  recordSize, encodeRecord, chainedCrc, parseHeader,
};
