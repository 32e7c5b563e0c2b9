'use strict';
// Robustness: 300 mutated requests (bytes flipped, inserted, cut; deterministic PRNG)
// sent to one server, each on its own connection. The server must answer each with a
// well-formed status line (200, 400, 431 or 501) or close, never crash, and still
// serve a clean request afterwards.
const http = require('http');
const net = require('net');

let seed = 12345;
function random(n) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

const templates = [
  'GET /path?q=1 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n',
  'POST /submit HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world',
  'POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
];
const alphabet = '\r\n :;\t\0\x7fGETPOST0123456789abcdefHTTP/1.1chunkedContent-Length-';

function mutate(text) {
  const bytes = Buffer.from(text, 'latin1');
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    const roll = random(100);
    if (roll < 3) continue; // drop
    if (roll < 6) out.push(alphabet.charCodeAt(random(alphabet.length))); // replace
    else out.push(bytes[i]);
    if (roll === 99) out.push(alphabet.charCodeAt(random(alphabet.length))); // insert
  }
  return Buffer.from(out);
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('ok'));
  req.on('error', () => {});
});

server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const counts = { answered: 0, closed: 0, bad: 0 };
  const send = (payload) => new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => reply += d);
    socket.on('error', () => {});
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('close', () => {
      if (reply === '') counts.closed++;
      else if (/^HTTP\/1\.1 (200|400|431|501) /.test(reply)) counts.answered++;
      else counts.bad++;
      resolve();
    });
  });
  for (let i = 0; i < 300; i++) await send(mutate(templates[i % templates.length]));
  console.log('answered or closed:', counts.answered + counts.closed, 'malformed replies:', counts.bad);
  const res = await new Promise((resolve) => http.get({ port, host: '127.0.0.1', path: '/', agent: false }, resolve));
  res.resume();
  console.log('still serving', res.statusCode);
  server.close();
});
