'use strict';

// The store: an in-memory index (key → where its value lies in the log) over the
// append-only log on a raw disk (log_format.js), rebuilt at open by recovery.js.
//
// Writes use group commit: PUTs and DELETEs queue up while the previous batch is being
// written; each batch is one disk write of its records (padded to a block boundary)
// plus one flush, and only once that flush has resolved are its requests applied to the
// index and answered. So an answered write is durable, reads see only durable data, and
// a write that failed leaves the log and the index as they were. One batch is on the
// disk at a time; batches never share a block, so a torn batch cannot damage the one
// before it.

const { HEADER_SIZE, KIND_DELETE, KIND_PUT, MAX_KEY_BYTES, MAX_VALUE_BYTES, encodeRecord, recordSize } =
  require('./log_format');
const { alignUp, scanLog } = require('./recovery');

// The most one batch writes; requests beyond it wait for the next batch.
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

// An error with the HTTP status that reports it.
class StoreError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

class Store {
  // Opens the store on `disk` (a kiln:disk handle), reading the log to rebuild the index.
  static async open(disk, { maxValueBytes = 1024 * 1024 } = {}) {
    const store = new Store(disk, Math.min(maxValueBytes, MAX_VALUE_BYTES));
    await store.recover();
    return store;
  }

  constructor(disk, maxValueBytes) {
    this.disk = disk;
    this.maxValueBytes = maxValueBytes;
    this.index = new Map(); // key → { valueOffset, valueLength }
    this.newest = new Map(); // key → its newest operation not yet committed
    this.queue = []; // operations waiting for the next batch
    this.queuedBytes = 0;
    this.batchBytes = 0; // the batch on the disk now (padded), or 0
    this.writing = false;
    // Where the log ends, and the last record's sequence number and CRC.
    this.tail = 0;
    this.sequence = 0;
    this.crc = 0;
    this.counters = { puts: 0, deletes: 0, batches: 0, failedBatches: 0, largestBatch: 0 };
    this.recovery = null;
  }

  async recover() {
    const started = Date.now();
    const log = await scanLog(this.disk, (record) => {
      const key = record.key.toString();
      if (record.kind === KIND_PUT) this.index.set(key, { valueOffset: record.valueOffset, valueLength: record.valueLength });
      else this.index.delete(key);
    });
    this.tail = log.end;
    this.sequence = log.sequence;
    this.crc = log.crc;
    this.recovery = { records: log.records, logBytes: log.end, droppedTail: log.droppedTail, ms: Date.now() - started };
  }

  // Whether `key` exists once every queued write is done.
  has(key) {
    const pending = this.newest.get(key);
    return pending ? pending.kind === KIND_PUT : this.index.has(key);
  }

  // The value (a Buffer), or null.
  async get(key) {
    const entry = this.index.get(key);
    if (!entry) return null;
    return this.disk.read(entry.valueOffset, entry.valueLength);
  }

  // Resolves to true if the key is new, false if it replaced a value, once durable.
  put(key, value) {
    if (value.length > this.maxValueBytes) {
      throw new StoreError(413, `the value is ${value.length} bytes; the limit is ${this.maxValueBytes}`);
    }
    return this.enqueue(KIND_PUT, key, value);
  }

  // Resolves once the tombstone is durable; 404 if there is no such key.
  delete(key) {
    if (!this.has(key)) throw new StoreError(404, 'no such key');
    return this.enqueue(KIND_DELETE, key, Buffer.alloc(0));
  }

  enqueue(kind, key, value) {
    const keyBytes = Buffer.from(key);
    if (keyBytes.length < 1 || keyBytes.length > MAX_KEY_BYTES) {
      throw new StoreError(400, `a key is 1 to ${MAX_KEY_BYTES} bytes of UTF-8`);
    }
    if (this.disk.readOnly) throw new StoreError(503, 'the disk is read-only');
    const size = recordSize(keyBytes.length, value.length);
    if (this.tail + this.batchBytes + this.queuedBytes + size > this.disk.size) {
      throw new StoreError(507, 'the disk is full');
    }
    const existed = this.has(key);
    return new Promise((resolve, reject) => {
      const operation = { kind, key, keyBytes, value, size, valueOffset: 0, resolve: () => resolve(!existed), reject };
      this.newest.set(key, operation);
      this.queue.push(operation);
      this.queuedBytes += size;
      if (!this.writing) this.writeBatches();
    });
  }

  // Takes the operations of the next batch off the queue: as many as fit in
  // MAX_BATCH_BYTES and on the disk. Those that can never fit fail with 507.
  takeBatch() {
    const batch = [];
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      const fitsBatch = batch.length === 0 || bytes + next.size <= MAX_BATCH_BYTES;
      const fitsDisk = this.tail + alignUp(bytes + next.size, this.disk.blockSize) <= this.disk.size;
      if (!fitsBatch || (!fitsDisk && batch.length > 0)) break;
      this.queue.shift();
      this.queuedBytes -= next.size;
      if (!fitsDisk) {
        this.settleFailed(next, new StoreError(507, 'the disk is full'));
        continue;
      }
      batch.push(next);
      bytes += next.size;
    }
    return { batch, bytes };
  }

  settleFailed(operation, error) {
    if (this.newest.get(operation.key) === operation) this.newest.delete(operation.key);
    operation.reject(error);
  }

  async writeBatches() {
    this.writing = true;
    while (this.queue.length > 0) {
      const { batch, bytes } = this.takeBatch();
      if (batch.length === 0) continue;
      const buffer = Buffer.alloc(alignUp(bytes, this.disk.blockSize));
      let at = 0;
      let crc = this.crc;
      let sequence = this.sequence;
      for (const operation of batch) {
        crc = encodeRecord(buffer, at, { sequence: ++sequence, kind: operation.kind, key: operation.keyBytes,
          value: operation.value }, crc);
        operation.valueOffset = this.tail + at + HEADER_SIZE + operation.keyBytes.length;
        at += operation.size;
      }
      this.batchBytes = buffer.length;
      try {
        // The flush waits for the write before it (kiln:disk's contract).
        await Promise.all([this.disk.write(this.tail, buffer), this.disk.flush()]);
      } catch (error) {
        this.batchBytes = 0;
        this.counters.failedBatches++;
        console.error(`kv-store: a batch of ${batch.length} failed: ${error.message}`);
        for (const operation of batch) this.settleFailed(operation, error);
        continue;
      }
      this.tail += buffer.length;
      this.batchBytes = 0;
      this.sequence = sequence;
      this.crc = crc;
      this.counters.batches++;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
      for (const operation of batch) {
        if (operation.kind === KIND_PUT) {
          this.index.set(operation.key, { valueOffset: operation.valueOffset, valueLength: operation.value.length });
          this.counters.puts++;
        } else {
          this.index.delete(operation.key);
          this.counters.deletes++;
        }
        if (this.newest.get(operation.key) === operation) this.newest.delete(operation.key);
        operation.resolve();
      }
    }
    this.writing = false;
  }

  stats() {
    let valueBytes = 0;
    for (const entry of this.index.values()) valueBytes += entry.valueLength;
    return {
      keys: this.index.size,
      valueBytes,
      logBytes: this.tail,
      diskBytes: this.disk.size,
      records: this.sequence,
      pending: this.queue.length,
      maxValueBytes: this.maxValueBytes,
      ...this.counters,
      recovered: this.recovery,
    };
  }
}

module.exports = { Store, StoreError };
