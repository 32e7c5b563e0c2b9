'use strict';

// Rebuilds the store at boot by reading the log from offset 0 until the first record that
// is not valid: bad magic, an implausible header, a sequence number that does not follow,
// a CRC that does not match (a torn write or stale bytes from before a crash), or the end
// of the disk. A batch ends with padding, so an invalid record is retried once at the next
// block boundary, where the next batch would start. Whatever lies beyond the end found is
// dropped: new batches overwrite it.

const { HEADER_SIZE, chainedCrc, parseHeader, recordSize } = require('./log_format');

// Reads are 1 MiB at a time, so a scan makes few, large requests.
const WINDOW_BYTES = 1024 * 1024;

function alignUp(offset, block) {
  return Math.ceil(offset / block) * block;
}

// A sliding window over the disk.
class DiskReader {
  constructor(disk) {
    this.disk = disk;
    this.start = 0;
    this.bytes = Buffer.alloc(0);
  }

  // The `length` bytes at `offset` (fewer at the end of the disk), valid until the next call.
  async get(offset, length) {
    const end = Math.min(offset + length, this.disk.size);
    if (offset < this.start || end > this.start + this.bytes.length) {
      this.start = offset;
      this.bytes = await this.disk.read(offset, Math.min(Math.max(end - offset, WINDOW_BYTES), this.disk.size - offset));
    }
    return this.bytes.subarray(offset - this.start, end - this.start);
  }
}

// The record at `offset` if it is the valid successor of (expectedSequence - 1, previousCrc).
async function readRecord(reader, offset, expectedSequence, previousCrc) {
  if (offset + HEADER_SIZE > reader.disk.size) return null;
  const header = parseHeader(await reader.get(offset, HEADER_SIZE), expectedSequence);
  if (header === null) return null;
  const size = recordSize(header.keyLength, header.valueLength);
  if (offset + size > reader.disk.size) return null;
  const rest = await reader.get(offset + 8, size - 8);
  if (chainedCrc(previousCrc, rest) !== header.crc) return null;
  const key = Buffer.from(rest.subarray(HEADER_SIZE - 8, HEADER_SIZE - 8 + header.keyLength));
  return { ...header, offset, size, key, valueOffset: offset + HEADER_SIZE + header.keyLength };
}

// Calls onRecord(record) for every valid record in log order, where record is
// { sequence, kind, key (Buffer), valueOffset, valueLength, offset, size, crc }. Returns
// { end, sequence, crc, records, droppedTail }: where the next batch goes (block
// aligned), the last record's sequence number and CRC, the count, and whether non-zero
// bytes followed the last record (a torn or unacknowledged write, now dropped).
async function scanLog(disk, onRecord) {
  const reader = new DiskReader(disk);
  let position = 0;
  let sequence = 0;
  let crc = 0;
  let records = 0;
  for (;;) {
    let record = await readRecord(reader, position, sequence + 1, crc);
    if (record === null) {
      const boundary = alignUp(position, disk.blockSize);
      if (boundary !== position) record = await readRecord(reader, boundary, sequence + 1, crc);
    }
    if (record === null) break;
    onRecord(record);
    position = record.offset + record.size;
    sequence = record.sequence;
    crc = record.crc;
    records++;
  }
  const end = alignUp(position, disk.blockSize);
  const afterRecord = await reader.get(position, HEADER_SIZE);
  const atBoundary = await reader.get(end, HEADER_SIZE);
  const droppedTail = afterRecord.some((byte) => byte !== 0) || atBoundary.some((byte) => byte !== 0);
  return { end, sequence, crc, records, droppedTail };
}

module.exports = { scanLog, alignUp };
