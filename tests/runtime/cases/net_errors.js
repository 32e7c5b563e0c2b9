'use strict';
// ECONNREFUSED, EADDRINUSE, ERR_SOCKET_BAD_PORT, writing after end, isIP.
const net = require('net');

console.log(net.isIP('127.0.0.1'), net.isIP('::1'), net.isIP('1.2.3.256'), net.isIPv4('10.0.0.1'), net.isIPv6('fe80::1'));
try {
  net.connect({ port: 70000, host: '127.0.0.1' });
} catch (error) {
  console.log(error.code, error.message);
}

const probe = net.createServer().listen(0, '127.0.0.1', () => {
  const freePort = probe.address().port;
  probe.close(() => {
    const client = net.connect(freePort, '127.0.0.1');
    client.on('error', (error) => {
      console.log(error.code, error.errno, error.syscall, error.address, error.port === freePort,
        error.message === `connect ECONNREFUSED 127.0.0.1:${freePort}`);
    });
    client.on('close', (hadError) => {
      console.log('close after refusal, hadError', hadError);
      inUse();
    });
  });
});

function inUse() {
  const first = net.createServer().listen(0, '127.0.0.1', () => {
    const port = first.address().port;
    const second = net.createServer();
    second.on('error', (error) => {
      console.log(error.code, error.errno, error.syscall, error.message === `listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
      console.log('second listening', second.listening);
      first.close(afterEnd);
    });
    second.listen(port, '127.0.0.1');
  });
}

function afterEnd() {
  const server = net.createServer((s) => s.resume());
  server.listen(0, '127.0.0.1', () => {
    const client = net.connect(server.address().port, '127.0.0.1', () => {
      client.end();
      client.write('x', (error) => console.log('write after end:', error.code));
      client.on('error', (error) => console.log('error event:', error.code));
      client.on('close', () => server.close(() => console.log('done')));
    });
  });
}
