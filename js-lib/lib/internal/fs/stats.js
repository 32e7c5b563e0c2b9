'use strict';

// fs.Stats and fs.Dirent, built from the Float64Array the fs binding fills (the order
// of Node's statValues: dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks,
// atimeMs, mtimeMs, ctimeMs, birthtimeMs).

const { MathFloor } = primordials;
const { constants } = internalBinding('fs');

const { S_IFMT, S_IFREG, S_IFDIR, S_IFLNK, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK } = constants;

function dateFromMs(ms) {
  return new primordials.Date(MathFloor(ms));
}

function Stats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, atimeMs, mtimeMs, ctimeMs, birthtimeMs) {
  this.dev = dev;
  this.mode = mode;
  this.nlink = nlink;
  this.uid = uid;
  this.gid = gid;
  this.rdev = rdev;
  this.blksize = blksize;
  this.ino = ino;
  this.size = size;
  this.blocks = blocks;
  this.atimeMs = atimeMs;
  this.mtimeMs = mtimeMs;
  this.ctimeMs = ctimeMs;
  this.birthtimeMs = birthtimeMs;
  this.atime = dateFromMs(atimeMs);
  this.mtime = dateFromMs(mtimeMs);
  this.ctime = dateFromMs(ctimeMs);
  this.birthtime = dateFromMs(birthtimeMs);
}

function isType(mode, type) {
  return (mode & S_IFMT) === type;
}

Stats.prototype.isFile = function isFile() {
  return isType(this.mode, S_IFREG);
};
Stats.prototype.isDirectory = function isDirectory() {
  return isType(this.mode, S_IFDIR);
};
Stats.prototype.isSymbolicLink = function isSymbolicLink() {
  return isType(this.mode, S_IFLNK);
};
Stats.prototype.isFIFO = function isFIFO() {
  return isType(this.mode, S_IFIFO);
};
Stats.prototype.isSocket = function isSocket() {
  return isType(this.mode, S_IFSOCK);
};
Stats.prototype.isCharacterDevice = function isCharacterDevice() {
  return isType(this.mode, S_IFCHR);
};
Stats.prototype.isBlockDevice = function isBlockDevice() {
  return isType(this.mode, S_IFBLK);
};

function statsFromArray(values) {
  return new Stats(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8],
    values[9], values[10], values[11], values[12], values[13]);
}

// The kinds the binding reports (libuv's uv_dirent_type_t).
const kUnknown = 0;
const kFile = 1;
const kDirectory = 2;
const kLink = 3;
const kFifo = 4;
const kSocket = 5;
const kChar = 6;
const kBlock = 7;
const kType = primordials.Symbol('type');

class Dirent {
  constructor(name, type, path) {
    this.name = name;
    this.parentPath = path;
    this.path = path;
    this[kType] = type;
  }

  isFile() {
    return this[kType] === kFile;
  }

  isDirectory() {
    return this[kType] === kDirectory;
  }

  isSymbolicLink() {
    return this[kType] === kLink;
  }

  isFIFO() {
    return this[kType] === kFifo;
  }

  isSocket() {
    return this[kType] === kSocket;
  }

  isCharacterDevice() {
    return this[kType] === kChar;
  }

  isBlockDevice() {
    return this[kType] === kBlock;
  }
}

module.exports = { Stats, Dirent, statsFromArray, kUnknown };
