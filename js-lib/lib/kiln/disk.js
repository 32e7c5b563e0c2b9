'use strict';

// `kiln:disk`: the raw disks attached to the VM (/dev/vda, /dev/vdb...), read and
// written at byte offsets with promises, many requests in flight at once, over
// internalBinding('disk') (bindings/disk.cpp: Linux AIO on the loop). On a host the same
// code runs against the files KILN_DISKS names. The contract (ranges, durability,
// errors) is in js-lib/lib/kiln/README.md.

const {
  ArrayBuffer, ArrayBufferIsView, ArrayPrototypeJoin, ArrayPrototypeMap, ArrayPrototypePush, DataView,
  DataViewPrototypeGetBuffer, DataViewPrototypeGetByteLength, DataViewPrototypeGetByteOffset, Error,
  NumberIsInteger, ObjectDefineProperties, ObjectFreeze, Promise, RegExpPrototypeExec, SetPrototypeAdd,
  SetPrototypeHas, StringFromCharCode, StringPrototypeEndsWith, StringPrototypeSlice, StringPrototypeSplit,
  StringPrototypeTrim, Symbol, TypeError, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetLength, Uint8Array,
} = primordials;
const { codes, makeNodeError, validateString } = require('internal/errors');
const { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } = codes;
require('buffer');
const { FastBuffer } = internals;

const binding = internalBinding('disk');
const { DiskHandle } = binding;

// Linux x86-64 errno numbers, for errors made here rather than by a system call.
const ENOENT = 2;
const EROFS = 30;
// The most one read or write may move (Linux's limit for one system call).
const kMaxLength = 0x7ffff000;
// Disks the Kiln kernel can name: /dev/vda ... /dev/vdz.
const kMaxVirtioDisks = 26;
const kNamePattern = /^[A-Za-z0-9._-]+$/;

// The Kiln kernel's uname release is "6.1.0-kiln". Only there are /dev/vdX the disks
// this program was given: on a host they may well be the machine's own.
let runsInKilnVm;
function inKilnVm() {
  if (runsInKilnVm === undefined) {
    runsInKilnVm = StringPrototypeEndsWith(binding.kernelRelease() ?? '', '-kiln');
  }
  return runsInKilnVm;
}

function describe(name, path, readOnly) {
  const info = binding.probe(path);
  return ObjectFreeze({
    name,
    path,
    size: info.size,
    blockSize: info.blockSize,
    readOnly: readOnly || info.readOnly,
  });
}

// In the VM: /dev/vda, /dev/vdb... in order, as `kiln run --disk` attached them.
function vmDisks(list) {
  for (let i = 0; i < kMaxVirtioDisks; i++) {
    const name = `vd${StringFromCharCode(97 + i)}`;
    try {
      ArrayPrototypePush(list, describe(name, `/dev/${name}`, false));
    } catch (error) {
      if (error.code === 'ENOENT' || error.code === 'ENXIO') return;
      throw error;
    }
  }
}

function invalidKilnDisks(entry, reason) {
  return makeNodeError(TypeError, 'ERR_INVALID_KILN_DISKS',
    `KILN_DISKS entry '${entry}' ${reason}; expected name=path[:ro],...`);
}

// KILN_DISKS=name=path[:ro],...: files (or devices) to use as disks, for running the
// same program on a host.
function configuredDisks(list, names) {
  const setting = process.env.KILN_DISKS;
  if (typeof setting !== 'string') return;
  const entries = StringPrototypeSplit(setting, ',');
  for (let i = 0; i < entries.length; i++) {
    const entry = StringPrototypeTrim(entries[i]);
    if (entry === '') continue;
    const equals = RegExpPrototypeExec(/=/, entry);
    if (equals === null) throw invalidKilnDisks(entry, 'has no "="');
    const name = StringPrototypeSlice(entry, 0, equals.index);
    let path = StringPrototypeSlice(entry, equals.index + 1);
    const readOnly = StringPrototypeEndsWith(path, ':ro');
    if (readOnly) path = StringPrototypeSlice(path, 0, -3);
    if (RegExpPrototypeExec(kNamePattern, name) === null) throw invalidKilnDisks(entry, 'has an invalid name');
    if (path === '') throw invalidKilnDisks(entry, 'has no path');
    if (SetPrototypeHas(names, name)) throw invalidKilnDisks(entry, 'repeats a disk name');
    SetPrototypeAdd(names, name);
    ArrayPrototypePush(list, describe(name, path, readOnly));
  }
}

// Every disk this program can open: [{ name, path, size, blockSize, readOnly }].
function disks() {
  const list = [];
  if (inKilnVm()) vmDisks(list);
  const names = new primordials.Set();
  for (let i = 0; i < list.length; i++) SetPrototypeAdd(names, list[i].name);
  configuredDisks(list, names);
  return list;
}

function diskClosed(name) {
  return makeNodeError(Error, 'ERR_DISK_CLOSED', `The disk '${name}' is closed`);
}

// Byte ranges: any offset and length inside the disk, no alignment needed.
function validateRange(offset, length, size, lengthName) {
  if (typeof offset !== 'number') throw ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  if (!NumberIsInteger(offset) || offset < 0 || offset > size) {
    throw ERR_OUT_OF_RANGE('offset', `an integer >= 0 && <= ${size}`, offset);
  }
  if (typeof length !== 'number') throw ERR_INVALID_ARG_TYPE(lengthName, 'number', length);
  const room = size - offset < kMaxLength ? size - offset : kMaxLength;
  if (!NumberIsInteger(length) || length < 0 || length > room) {
    throw ERR_OUT_OF_RANGE(lengthName, `an integer >= 0 && <= ${room}`, length);
  }
}

// What write() takes, as a typed array over the same memory.
function asBytes(data) {
  if (ArrayBufferIsView(data)) {
    if (!(data instanceof DataView)) return data;
    return new Uint8Array(DataViewPrototypeGetBuffer(data), DataViewPrototypeGetByteOffset(data),
      DataViewPrototypeGetByteLength(data));
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw ERR_INVALID_ARG_TYPE('data', ['Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'], data);
}

// Only open() may make a Disk.
const kOpenToken = Symbol('kOpenToken');

// An open disk. Made by open(); `size`, `blockSize`, `readOnly`, `name` and `path` are
// read-only properties.
class Disk {
  #handle;
  #closed; // the close() promise, once closing

  constructor(token, handle, entry) {
    if (token !== kOpenToken) throw new TypeError('Disk objects are made by open()');
    this.#handle = handle;
    ObjectDefineProperties(this, {
      name: { value: entry.name, enumerable: true },
      path: { value: entry.path, enumerable: true },
      size: { value: entry.size, enumerable: true },
      blockSize: { value: entry.blockSize, enumerable: true },
      readOnly: { value: entry.readOnly, enumerable: true },
    });
  }

  // → Promise<Buffer> of `length` bytes from `offset`.
  read(offset, length) {
    return new Promise((resolve, reject) => {
      if (this.#closed !== undefined) throw diskClosed(this.name);
      validateRange(offset, length, this.size, 'length');
      this.#handle.read(offset, length, (error, bytes) => {
        if (error) reject(error);
        else {
          resolve(new FastBuffer(TypedArrayPrototypeGetBuffer(bytes), TypedArrayPrototypeGetByteOffset(bytes),
            TypedArrayPrototypeGetLength(bytes)));
        }
      });
    });
  }

  // → Promise<number>: the bytes written (all of `data`). `data` must stay unchanged
  // until the promise settles (it is not copied).
  write(offset, data) {
    return new Promise((resolve, reject) => {
      if (this.#closed !== undefined) throw diskClosed(this.name);
      const bytes = asBytes(data);
      validateRange(offset, TypedArrayPrototypeGetByteLength(bytes), this.size, 'data.byteLength');
      if (this.readOnly) throw binding.errnoError(EROFS, 'write', this.path);
      this.#handle.write(offset, bytes, (error, written) => {
        if (error) reject(error);
        else resolve(written);
      });
    });
  }

  // → Promise<void>, resolved once every write issued on this disk before the call is
  // on stable storage.
  flush() {
    return new Promise((resolve, reject) => {
      if (this.#closed !== undefined) throw diskClosed(this.name);
      this.#handle.flush((error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  // → Promise<void>, resolved when the requests already made have settled and the
  // disk is closed. New requests fail with ERR_DISK_CLOSED. Calling it again returns
  // the same promise.
  close() {
    if (this.#closed === undefined) {
      this.#closed = new Promise((resolve) => this.#handle.close(() => resolve()));
    }
    return this.#closed;
  }
}

// Opens a disk by its name in disks(), or any disk, file or device by absolute path.
function open(name) {
  validateString(name, 'name');
  const list = disks();
  let entry;
  for (let i = 0; i < list.length && entry === undefined; i++) {
    if (list[i].name === name) entry = list[i];
  }
  if (entry === undefined && name[0] === '/') entry = describe(name, name, false);
  if (entry === undefined) {
    const error = binding.errnoError(ENOENT, 'open', name);
    const known = ArrayPrototypeJoin(ArrayPrototypeMap(list, (disk) => disk.name), ', ') || 'none';
    error.message = `ENOENT: no such disk, open '${name}' (disks: ${known})`;
    throw error;
  }
  return new Disk(kOpenToken, new DiskHandle(entry.path, !entry.readOnly), entry);
}

module.exports = { disks, open, Disk };
