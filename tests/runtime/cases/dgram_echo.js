'use strict';
// A UDP echo over loopback: bind on port 0, send with a callback, 'message' with rinfo,
// close events; errors for bad arguments.
const dgram = require('dgram');

const server = dgram.createSocket('udp4');
server.on('message', (msg, rinfo) => {
  server.send([Buffer.from('echo:'), msg], rinfo.port, rinfo.address);
});
server.on('listening', () => {
  const { address, family, port } = server.address();
  console.log('server listening', address, family, port > 0);
  const client = dgram.createSocket({ type: 'udp4' });
  let pending = 3;
  client.on('message', (msg, rinfo) => {
    console.log('client got', msg.toString(), rinfo.address, rinfo.family, rinfo.port === port, rinfo.size);
    if (--pending === 0) {
      client.close(() => console.log('client closed'));
      server.close(() => console.log('server closed'));
    }
  });
  client.send('one', port, '127.0.0.1', (err, bytes) => {
    console.log('sent', err, bytes);
    client.send(Buffer.from('two'), port, '127.0.0.1');
    client.send(Buffer.from('xthreex'), 1, 5, port, 'localhost');
  });
});
server.bind(0, '127.0.0.1');

try {
  dgram.createSocket('udp5');
} catch (error) {
  console.log(error.code);
}
