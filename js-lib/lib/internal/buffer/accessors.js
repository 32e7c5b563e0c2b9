'use strict';

// Buffer's readUInt8 ... writeDoubleBE family, with Node's checks and error messages.
// Floats go through a shared scratch Float32Array/Float64Array viewed as bytes.

const { MathFloor, NumberIsInteger, ObjectKeys } = primordials;
const { makeNodeError, codes } = require('internal/errors');

const float32 = new primordials.Float32Array(1);
const float32Bytes = new primordials.Uint8Array(float32.buffer);
const float64 = new primordials.Float64Array(1);
const float64Bytes = new primordials.Uint8Array(float64.buffer);

function outOfBounds() {
  return makeNodeError(primordials.RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS',
    'Attempt to access memory outside buffer bounds');
}

// Node's checkBounds: `offset` must be an integer with `size` bytes available.
function checkOffset(buffer, offset, size) {
  if (typeof offset !== 'number') throw codes.ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  const last = buffer.length - size;
  if (!NumberIsInteger(offset)) throw codes.ERR_OUT_OF_RANGE('offset', 'an integer', offset);
  if (last < 0) throw outOfBounds();
  if (offset < 0 || offset > last) throw codes.ERR_OUT_OF_RANGE('offset', `>= 0 and <= ${last}`, offset);
}

function checkByteLength(byteLength) {
  if (typeof byteLength !== 'number') throw codes.ERR_INVALID_ARG_TYPE('byteLength', 'number', byteLength);
  if (!NumberIsInteger(byteLength) || byteLength < 1 || byteLength > 6) {
    throw codes.ERR_OUT_OF_RANGE('byteLength', '>= 1 and <= 6', byteLength);
  }
}

function checkInt(value, min, max, size) {
  if (typeof value !== 'number' && typeof value !== 'bigint') throw codes.ERR_INVALID_ARG_TYPE('value', 'number', value);
  if (value > max || value < min) {
    const n = typeof min === 'bigint' ? 'n' : '';
    let range;
    if (size > 3) {
      range = min === 0 || min === 0n
        ? `>= 0${n} and < 2${n} ** ${size * 8}${n}`
        : `>= -(2${n} ** ${size * 8 - 1}${n}) and < 2 ** ${size * 8 - 1}${n}`;
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw codes.ERR_OUT_OF_RANGE('value', range, value);
  }
}

function readUnsigned(buffer, offset, size, littleEndian) {
  let value = 0;
  for (let i = 0; i < size; i++) {
    const byte = buffer[offset + (littleEndian ? i : size - 1 - i)];
    value += byte * 2 ** (8 * i);
  }
  return value;
}

function writeUnsigned(buffer, value, offset, size, littleEndian) {
  for (let i = 0; i < size; i++) {
    buffer[offset + (littleEndian ? i : size - 1 - i)] = value & 0xff;
    value = MathFloor(value / 256);
  }
  return offset + size;
}

function makeReadUnsigned(size, littleEndian) {
  return function (offset = 0) {
    checkOffset(this, offset, size);
    return readUnsigned(this, offset, size, littleEndian);
  };
}

function makeReadSigned(size, littleEndian) {
  return function (offset = 0) {
    checkOffset(this, offset, size);
    const value = readUnsigned(this, offset, size, littleEndian);
    const limit = 2 ** (8 * size - 1);
    return value >= limit ? value - 2 * limit : value;
  };
}

function makeWriteUnsigned(size, littleEndian) {
  return function (value, offset = 0) {
    value = +value;
    checkInt(value, 0, 2 ** (8 * size) - 1, size);
    checkOffset(this, offset, size);
    return writeUnsigned(this, value, offset, size, littleEndian);
  };
}

function makeWriteSigned(size, littleEndian) {
  return function (value, offset = 0) {
    value = +value;
    const limit = 2 ** (8 * size - 1);
    checkInt(value, -limit, limit - 1, size);
    checkOffset(this, offset, size);
    return writeUnsigned(this, value < 0 ? value + 2 * limit : value, offset, size, littleEndian);
  };
}

function readVariable(signed, littleEndian) {
  return function (offset, byteLength) {
    checkByteLength(byteLength);
    checkOffset(this, offset, byteLength);
    const value = readUnsigned(this, offset, byteLength, littleEndian);
    if (!signed) return value;
    const limit = 2 ** (8 * byteLength - 1);
    return value >= limit ? value - 2 * limit : value;
  };
}

function writeVariable(signed, littleEndian) {
  return function (value, offset, byteLength) {
    checkByteLength(byteLength);
    value = +value;
    const limit = 2 ** (8 * byteLength - (signed ? 1 : 0));
    checkInt(value, signed ? -limit : 0, limit - 1, byteLength);
    checkOffset(this, offset, byteLength);
    return writeUnsigned(this, value < 0 ? value + 2 * limit : value, offset, byteLength, littleEndian);
  };
}

function makeReadFloat(bytes, view, littleEndian) {
  const size = bytes.length;
  return function (offset = 0) {
    checkOffset(this, offset, size);
    for (let i = 0; i < size; i++) bytes[littleEndian ? i : size - 1 - i] = this[offset + i];
    return view[0];
  };
}

function makeWriteFloat(bytes, view, littleEndian) {
  const size = bytes.length;
  return function (value, offset = 0) {
    value = +value;
    checkOffset(this, offset, size);
    view[0] = value;
    for (let i = 0; i < size; i++) this[offset + i] = bytes[littleEndian ? i : size - 1 - i];
    return offset + size;
  };
}

function makeReadBig(signed, littleEndian) {
  return function (offset = 0) {
    checkOffset(this, offset, 8);
    const low = readUnsigned(this, littleEndian ? offset : offset + 4, 4, littleEndian);
    const high = readUnsigned(this, littleEndian ? offset + 4 : offset, 4, littleEndian);
    const value = (primordials.BigInt(high) << 32n) + primordials.BigInt(low);
    return signed ? primordials.BigIntAsIntN(64, value) : value;
  };
}

function makeWriteBig(signed, littleEndian) {
  return function (value, offset = 0) {
    if (typeof value !== 'bigint') throw codes.ERR_INVALID_ARG_TYPE('value', 'bigint', value);
    checkInt(value, signed ? -(2n ** 63n) : 0n, signed ? 2n ** 63n - 1n : 2n ** 64n - 1n, 8);
    checkOffset(this, offset, 8);
    const unsigned = primordials.BigIntAsUintN(64, value);
    const low = primordials.Number(unsigned & 0xffffffffn);
    const high = primordials.Number(unsigned >> 32n);
    writeUnsigned(this, low, littleEndian ? offset : offset + 4, 4, littleEndian);
    writeUnsigned(this, high, littleEndian ? offset + 4 : offset, 4, littleEndian);
    return offset + 8;
  };
}

function installAccessors(proto) {
  const methods = {
    readUInt8: makeReadUnsigned(1, true),
    readUInt16LE: makeReadUnsigned(2, true),
    readUInt16BE: makeReadUnsigned(2, false),
    readUInt32LE: makeReadUnsigned(4, true),
    readUInt32BE: makeReadUnsigned(4, false),
    readUIntLE: readVariable(false, true),
    readUIntBE: readVariable(false, false),
    readInt8: makeReadSigned(1, true),
    readInt16LE: makeReadSigned(2, true),
    readInt16BE: makeReadSigned(2, false),
    readInt32LE: makeReadSigned(4, true),
    readInt32BE: makeReadSigned(4, false),
    readIntLE: readVariable(true, true),
    readIntBE: readVariable(true, false),
    readBigUInt64LE: makeReadBig(false, true),
    readBigUInt64BE: makeReadBig(false, false),
    readBigInt64LE: makeReadBig(true, true),
    readBigInt64BE: makeReadBig(true, false),
    readFloatLE: makeReadFloat(float32Bytes, float32, true),
    readFloatBE: makeReadFloat(float32Bytes, float32, false),
    readDoubleLE: makeReadFloat(float64Bytes, float64, true),
    readDoubleBE: makeReadFloat(float64Bytes, float64, false),
    writeUInt8: makeWriteUnsigned(1, true),
    writeUInt16LE: makeWriteUnsigned(2, true),
    writeUInt16BE: makeWriteUnsigned(2, false),
    writeUInt32LE: makeWriteUnsigned(4, true),
    writeUInt32BE: makeWriteUnsigned(4, false),
    writeUIntLE: writeVariable(false, true),
    writeUIntBE: writeVariable(false, false),
    writeInt8: makeWriteSigned(1, true),
    writeInt16LE: makeWriteSigned(2, true),
    writeInt16BE: makeWriteSigned(2, false),
    writeInt32LE: makeWriteSigned(4, true),
    writeInt32BE: makeWriteSigned(4, false),
    writeIntLE: writeVariable(true, true),
    writeIntBE: writeVariable(true, false),
    writeBigUInt64LE: makeWriteBig(false, true),
    writeBigUInt64BE: makeWriteBig(false, false),
    writeBigInt64LE: makeWriteBig(true, true),
    writeBigInt64BE: makeWriteBig(true, false),
    writeFloatLE: makeWriteFloat(float32Bytes, float32, true),
    writeFloatBE: makeWriteFloat(float32Bytes, float32, false),
    writeDoubleLE: makeWriteFloat(float64Bytes, float64, true),
    writeDoubleBE: makeWriteFloat(float64Bytes, float64, false),
  };
  const names = ObjectKeys(methods);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    proto[name] = methods[name];
    // Node also spells them with a lower-case "int": readUint8, writeBigUint64LE.
    if (name.includes('UInt') || name.includes('BigUInt')) proto[name.replace('UInt', 'Uint')] = methods[name];
  }
}

module.exports = { installAccessors };
