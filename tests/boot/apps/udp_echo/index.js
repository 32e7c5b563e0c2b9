'use strict';

// `index.js server PORT` or `index.js client HOST PORT`: the same files run in the VM
// (through `kiln run -- ...`) and on the host (kiln-runtime server.js / client.js), so
// each direction of the UDP boot test uses one implementation on both sides.

const [role, ...args] = process.argv.slice(2);
if (role === 'server') require('./server').main(args);
else if (role === 'client') require('./client').main(args);
else {
  console.error('usage: index.js server [ADDRESS] PORT | client HOST PORT');
  process.exitCode = 2;
}
