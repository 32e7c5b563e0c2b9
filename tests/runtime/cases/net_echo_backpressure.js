'use strict';
// An echo server and client over loopback with an 8 MiB payload: write() returns false
// once the socket buffers past highWaterMark, 'drain' resumes, every byte comes back.
const net = require('net');

const server = net.createServer((socket) => {
  socket.on('data', (data) => {
    if (!socket.write(data)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  });
  socket.on('end', () => socket.end());
});

server.listen(0, '127.0.0.1', () => {
  const { port, address, family } = server.address();
  console.log('listening', address, family, typeof port);
  const client = net.connect({ port, host: '127.0.0.1' }, () => {
    console.log('connected', client.remoteAddress, client.remotePort === port, client.localAddress);
    const payload = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    const accepted = client.write(payload);
    console.log('write returned', accepted, 'bufferSize > 0:', client.bufferSize > 0);
    client.end(() => console.log('client finished writing'));
  });
  const chunks = [];
  client.on('data', (data) => chunks.push(data));
  client.on('end', () => {
    const echoed = Buffer.concat(chunks);
    let intact = echoed.length === 8 * 1024 * 1024;
    for (let i = 0; intact && i < echoed.length; i += 4093) intact = echoed[i] === i % 251;
    console.log('echoed', echoed.length, 'intact', intact);
  });
  client.on('close', (hadError) => {
    console.log('client close', hadError, client.bytesRead, client.bytesWritten);
    server.close(() => console.log('server closed'));
  });
});
