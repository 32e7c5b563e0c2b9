'use strict';
// The HTTP parser's strictness as seen from JS (RFC 9112; request smuggling framings):
// each raw request goes to a server with default error handling (400 or 431, then the
// connection closes) and to one with a 'clientError' listener that prints the error
// code. Valid edge cases are served. Then the client side: bad responses become
// 'error' events with the parser's code; bodies delimited by close, HEAD, 204 and
// trailers are read right. (Node 20 answers HTTP/1.1 requests without Host 400, so the
// served ones have it.)
const http = require('http');
const net = require('net');

const head = 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
const rejected = [
  ['space before colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'],
  ['obs-fold', 'GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n'],
  ['space after start line', 'GET / HTTP/1.1\r\n Host: x\r\n\r\n'],
  ['bare LF in a field line', 'GET / HTTP/1.1\r\nHost: x\n\r\n'],
  ['bare CR in a value', 'GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n'],
  ['control char in a value', 'GET / HTTP/1.1\r\nHost: x\x01\r\n\r\n'],
  ['DEL in the target', 'GET /\x7f HTTP/1.1\r\n\r\n'],
  ['HTTP/1.2', 'GET / HTTP/1.2\r\n\r\n'],
  ['lower-case protocol', 'GET / http/1.1\r\n\r\n'],
  ['duplicate Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx'],
  ['Content-Length list', 'POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\nx'],
  ['Content-Length with Transfer-Encoding', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['chunked not last', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n'],
  ['no chunked in a request', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n'],
  ['chunk size 0x', `${head}0x3\r\nabc\r\n0\r\n\r\n`],
  ['chunk size overflow', `${head}fffffffffffffffff\r\n`],
  ['chunk without CRLF', `${head}3\r\nabcX\r\n0\r\n\r\n`],
  ['chunk extensions overflow', `${head}1;${'e'.repeat(17000)}\r\nx\r\n0\r\n\r\n`],
  ['header section overflow', `GET / HTTP/1.1\r\nX: ${'a'.repeat(17000)}\r\n\r\n`],
  ['cut short', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab'],
];
const served = [
  ['leading empty line', '\r\nGET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['gzip then chunked, trailers', 'POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n' +
    'Connection: close\r\n\r\n3;ext="q"\r\nabc\r\n0\r\nX-Sum: 9\r\n\r\n'],
  ['upgrade without a handler', 'GET /c HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\n\r\n'],
  ['HTTP/1.0', 'GET /d HTTP/1.0\r\n\r\n'],
];

const codes = [];
const plain = http.createServer(serve);
const listening = http.createServer(serve);
listening.on('clientError', (err, socket) => {
  codes.push(err.code);
  socket.destroy();
});
function serve(req, res) {
  let body = '';
  req.setEncoding('latin1');
  req.on('data', (d) => body += d);
  req.on('end', () => res.end(`${req.method} ${req.url} ${JSON.stringify(body)} ${JSON.stringify(req.trailers)}`));
}

function raw(port, payload) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => reply += d);
    socket.on('error', () => {});
    socket.on('close', () => resolve(reply));
  });
}

// A server that answers every request with `text` and closes.
function rawServer(text) {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.end(text));
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function get(port, method) {
  return new Promise((resolve) => {
    const req = http.request({ port, host: '127.0.0.1', method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => body += d);
      res.on('end', () => resolve(`${res.statusCode} ${JSON.stringify(body)} ${JSON.stringify(res.trailers)}`));
    });
    req.on('error', (err) => resolve(`error ${err.code}`));
    req.end();
  });
}

async function main() {
  await new Promise((resolve) => plain.listen(0, '127.0.0.1', resolve));
  await new Promise((resolve) => listening.listen(0, '127.0.0.1', resolve));
  for (const [name, payload] of rejected) {
    const reply = await raw(plain.address().port, payload);
    await raw(listening.address().port, payload);
    console.log(`${name}: ${reply.split('\r\n')[0] || 'closed'} ${codes.shift()}`);
  }
  for (const [name, payload] of served) {
    const reply = await raw(plain.address().port, payload);
    console.log(`${name}: ${reply.split('\r\n')[0]} | ${reply.slice(reply.indexOf('\r\n\r\n') + 4)}`);
  }
  plain.close();
  listening.close();

  const responses = [
    'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx',
    'HTTP/1.1 2000 OK\r\n\r\n',
    'HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-T: 1\r\n\r\n',
    'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n',
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
  ];
  for (const text of responses) {
    const server = await rawServer(text);
    console.log(`response ${JSON.stringify(text.slice(0, 24))}: ${await get(server.address().port, 'GET')}`);
    server.close();
  }
  const server = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
  console.log(`HEAD: ${await get(server.address().port, 'HEAD')}`);
  server.close();
}
main();
