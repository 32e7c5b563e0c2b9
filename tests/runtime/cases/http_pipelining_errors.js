'use strict';
// Raw HTTP over one socket: three pipelined requests answered in order (the first is
// slow), malformed requests answered 400 and closed, a 20 KB header answered 431,
// HTTP/1.0 without keep-alive closed after the response.
const http = require('http');
const net = require('net');
const server = http.createServer((req, res) => {
  const delay = req.url === '/slow' ? 30 : 0;
  setTimeout(() => res.end(`path=${req.url}`), delay);
});
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const raw = (payload) => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(payload));
    let data = '';
    s.on('data', (d) => data += d);
    s.on('error', (e) => data += `[${e.code}]`);
    s.on('close', () => resolve(data));
    setTimeout(() => s.end(), 300);
  });
  const strip = (t) => t.replace(/Date: .*\r\n/g, '').replace(/\r\n/g, '|');
  console.log(strip(await raw('GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')));
  console.log(strip(await raw('GARBAGE\r\n\r\n')));
  console.log(strip(await raw('GET / HTTP/1.1\r\nBad Header: x\r\n\r\n')));
  console.log(strip(await raw('POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n')));
  console.log(strip(await raw(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`)));
  console.log(strip(await raw('GET / HTTP/1.0\r\n\r\n')));
  server.close();
});
