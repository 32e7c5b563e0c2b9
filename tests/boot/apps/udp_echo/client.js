'use strict';

// Sends datagrams of several sizes to a UDP echo server, one at a time, and checks that
// each comes back byte for byte from the server's address. A datagram without an echo
// is sent again every second (the first ones may race a VM that is still booting or a
// neighbour not yet resolved); an overall deadline ends the run with status 1 instead
// of waiting forever. With --quit, "quit" at the end stops a server.js.
//
//   client.js HOST PORT [--quit]

const dgram = require('dgram');

// 1 byte, a small one, a full Ethernet frame (1500 - 20 IPv4 - 8 UDP) and one that IPv4
// must fragment.
const SIZES = [1, 64, 1472, 4000];
const RESEND_MS = 1000;
const DEADLINE_SECONDS = 60;

function randomBytes(size) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

function main(args) {
  const quit = args.includes('--quit');
  const [host, portText] = args.filter((a) => a !== '--quit');
  const port = Number(portText);
  if (!host || !(port > 0 && port < 65536)) {
    console.error('usage: client.js HOST PORT [--quit]');
    process.exitCode = 2;
    return;
  }
  const socket = dgram.createSocket('udp4');
  const payloads = SIZES.map(randomBytes);
  let index = 0;
  let sends = 0;
  let resend;

  const deadline = setTimeout(() => {
    const waiting = index < payloads.length ? `datagram ${index + 1} (${SIZES[index]} bytes)` : '"bye"';
    console.error(`udp client: no echo of ${waiting} from ${host}:${port} within ${DEADLINE_SECONDS} s`);
    process.exit(1);
  }, DEADLINE_SECONDS * 1000);

  const finish = () => {
    clearTimeout(deadline);
    clearInterval(resend);
    socket.close();
  };
  const sendCurrent = () => {
    sends++;
    socket.send(index < payloads.length ? payloads[index] : 'quit', port, host);
  };
  const next = () => {
    clearInterval(resend);
    if (index === payloads.length) {
      console.log(`udp client: ${payloads.length} of ${payloads.length} datagrams (${SIZES.join(', ')} bytes) ` +
        `echoed intact by ${host}:${port}, ${sends - payloads.length} resent`);
      if (!quit) return finish();
    }
    sendCurrent();
    resend = setInterval(sendCurrent, RESEND_MS);
  };

  socket.on('message', (message, from) => {
    if (from.address !== host || from.port !== port) {
      console.error(`udp client: datagram from ${from.address}:${from.port}, expected ${host}:${port}`);
      process.exitCode = 1;
      return;
    }
    if (index === payloads.length) {
      if (message.toString() !== 'bye') return; // a late duplicate echo
      console.log('udp client: the server said bye');
      return finish();
    }
    if (!message.equals(payloads[index])) {
      // A duplicate of an earlier echo (a resend crossed its first answer) is harmless.
      if (payloads.slice(0, index).some((p) => message.equals(p))) return;
      console.error(`udp client: echo of datagram ${index + 1} differs (${message.length} bytes back, ` +
        `${payloads[index].length} sent)`);
      process.exitCode = 1;
      return finish();
    }
    index++;
    next();
  });
  socket.on('error', (err) => {
    console.error(`udp client: ${err.code}: ${err.message}`);
    process.exitCode = 1;
    finish();
  });
  next();
}

module.exports = { main };
if (require.main === module) main(process.argv.slice(2));
