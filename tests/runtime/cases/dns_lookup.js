'use strict';
// dns.lookup for localhost and IP literals (callback, options, promises), and
// resolve4 through a DNS server played by a local UDP socket (dns.setServers).
const dns = require('dns');
const dgram = require('dgram');

async function main() {
  await new Promise((resolve) => dns.lookup('localhost', { family: 4 }, (err, address, family) => {
    console.log('localhost', err, address, family);
    resolve();
  }));
  await new Promise((resolve) => dns.lookup('192.0.2.7', (err, address, family) => {
    console.log('literal', err, address, family);
    resolve();
  }));
  await new Promise((resolve) => dns.lookup('localhost', { all: true, family: 4 }, (err, all) => {
    console.log('all', err, all);
    resolve();
  }));
  console.log('promises', await dns.promises.lookup('127.0.0.1'));
  console.log('promises localhost', await dns.promises.lookup('localhost', 4));
  try {
    dns.lookup(42, () => {});
  } catch (error) {
    console.log(error.code);
  }

  // A tiny DNS server: answers A queries for kiln.test with 10.1.2.3, NXDOMAIN otherwise.
  const server = dgram.createSocket('udp4');
  server.on('message', (query, rinfo) => {
    let offset = 12;
    const labels = [];
    while (query[offset] !== 0) {
      labels.push(query.toString('latin1', offset + 1, offset + 1 + query[offset]));
      offset += query[offset] + 1;
    }
    const question = query.subarray(12, offset + 5);
    const name = labels.join('.');
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    const found = name === 'kiln.test';
    header.writeUInt16BE(found ? 0x8180 : 0x8183, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(found ? 1 : 0, 6);
    const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3]);
    server.send(found ? Buffer.concat([header, question, answer]) : Buffer.concat([header, question]),
      rinfo.port, rinfo.address);
  });
  await new Promise((resolve) => server.bind(0, '127.0.0.1', resolve));
  dns.setServers([`127.0.0.1:${server.address().port}`]);
  console.log('resolve4', await dns.promises.resolve4('kiln.test'));
  try {
    await dns.promises.resolve4('missing.test');
  } catch (error) {
    console.log('missing', error.code, error.hostname);
  }
  server.close();
}
main();
