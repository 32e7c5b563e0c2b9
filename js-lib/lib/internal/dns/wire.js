'use strict';

// DNS messages (RFC 1035 §4): an A-record query, and a bounds-checked parser of the
// answer. Anything malformed is an error, never an exception out of the parser.

const { ArrayPrototypePush, StringPrototypeSplit, StringPrototypeToLowerCase } = primordials;
const { Buffer } = require('buffer');

const TYPE_A = 1;
const TYPE_CNAME = 5;
const CLASS_IN = 1;

// RFC 1035 §4.1.1 header + §4.1.2 question; RD set (§4.1.1), so the resolver recurses.
function encodeQuery(id, name, type = TYPE_A) {
  const labels = StringPrototypeSplit(name.endsWith('.') ? name.slice(0, -1) : name, '.');
  let length = 12 + 1 + 4;
  for (let i = 0; i < labels.length; i++) {
    const label = Buffer.from(labels[i], 'utf8');
    if (label.length === 0 || label.length > 63) return null;
    length += 1 + label.length;
  }
  if (length - 16 > 255) return null;
  const packet = Buffer.alloc(length);
  packet.writeUInt16BE(id, 0);
  packet.writeUInt16BE(0x0100, 2);
  packet.writeUInt16BE(1, 4);
  let offset = 12;
  for (let i = 0; i < labels.length; i++) {
    const label = Buffer.from(labels[i], 'utf8');
    packet[offset++] = label.length;
    label.copy(packet, offset);
    offset += label.length;
  }
  packet[offset++] = 0;
  packet.writeUInt16BE(type, offset);
  packet.writeUInt16BE(CLASS_IN, offset + 2);
  return packet;
}

// Skips a (possibly compressed, §4.1.4) name; returns the offset after it, or -1.
function skipName(packet, offset) {
  for (let steps = 0; steps < 128; steps++) {
    if (offset >= packet.length) return -1;
    const length = packet[offset];
    if (length === 0) return offset + 1;
    if ((length & 0xc0) === 0xc0) return offset + 2 <= packet.length ? offset + 2 : -1;
    if ((length & 0xc0) !== 0) return -1;
    offset += 1 + length;
  }
  return -1;
}

// → { id, rcode, truncated, addresses: [{ address, ttl }] } or null when malformed.
function decodeResponse(packet) {
  if (packet.length < 12) return null;
  const id = packet.readUInt16BE(0);
  const flags = packet.readUInt16BE(2);
  if ((flags & 0x8000) === 0) return null; // not a response
  const qdcount = packet.readUInt16BE(4);
  const ancount = packet.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < qdcount; i++) {
    offset = skipName(packet, offset);
    if (offset < 0 || offset + 4 > packet.length) return null;
    offset += 4;
  }
  const addresses = [];
  for (let i = 0; i < ancount; i++) {
    offset = skipName(packet, offset);
    if (offset < 0 || offset + 10 > packet.length) return null;
    const type = packet.readUInt16BE(offset);
    const klass = packet.readUInt16BE(offset + 2);
    const ttl = packet.readUInt32BE(offset + 4);
    const rdlength = packet.readUInt16BE(offset + 8);
    offset += 10;
    if (offset + rdlength > packet.length) return null;
    if (type === TYPE_A && klass === CLASS_IN && rdlength === 4) {
      const address = `${packet[offset]}.${packet[offset + 1]}.${packet[offset + 2]}.${packet[offset + 3]}`;
      ArrayPrototypePush(addresses, { address, ttl });
    }
    offset += rdlength;
  }
  return { id, rcode: flags & 0xf, truncated: (flags & 0x0200) !== 0, addresses };
}

function normalizeName(name) {
  name = StringPrototypeToLowerCase(name);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

module.exports = { encodeQuery, decodeResponse, normalizeName, TYPE_A, TYPE_CNAME };
