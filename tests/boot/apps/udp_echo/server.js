'use strict';

// A UDP echo server (RFC 862): every datagram goes back to its sender unchanged. Two
// datagrams are commands: "quit" is answered with "bye" and ends the program (status 0),
// so a test can stop a server inside the VM and check its exit status; "count" prints
// (and answers) how many datagrams were echoed so far, so a test can ask after a sender
// has gone away.
//
//   server.js [ADDRESS] PORT    (PORT 0: any free port; it prints the one it got)

const dgram = require('dgram');

function main(args) {
  const port = Number(args[args.length - 1]);
  const address = args.length > 1 ? args[0] : '0.0.0.0';
  if (!(port >= 0 && port < 65536)) {
    console.error('usage: server.js [ADDRESS] PORT');
    process.exitCode = 2;
    return;
  }
  const socket = dgram.createSocket('udp4');
  let echoed = 0;
  socket.on('message', (message, from) => {
    if (message.toString() === 'quit') {
      console.log(`udp echo: quit from ${from.address} after ${echoed} datagrams`);
      socket.send('bye', from.port, from.address, () => socket.close());
      return;
    }
    if (message.toString() === 'count') {
      console.log(`udp echo: ${echoed} datagrams echoed`);
      socket.send(`${echoed}`, from.port, from.address);
      return;
    }
    echoed++;
    socket.send(message, from.port, from.address);
  });
  socket.on('error', (err) => {
    console.error(`udp echo: ${err.code}: ${err.message}`);
    process.exitCode = 1;
    socket.close();
  });
  socket.bind(port, address, () => {
    const bound = socket.address();
    console.log(`udp echo listening on ${bound.address}:${bound.port}`);
  });
}

module.exports = { main };
if (require.main === module) main(process.argv.slice(2));
