'use strict';
// RFC 9112 3.2: an HTTP/1.1 request without Host gets 400 and the connection closed;
// HTTP/1.0 needs none; `requireHostHeader: false` turns the rule off.
const http = require('http');
const net = require('net');

function serve(options) {
  return new Promise((resolve) => {
    const server = http.createServer(options, (req, res) => res.end(`served ${req.url}`));
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function raw(port, payload) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(payload));
    let data = '';
    s.on('data', (d) => (data += d));
    s.on('close', () => resolve(data.replace(/Date: .*\r\n/g, '').replace(/\r\n/g, '|')));
    setTimeout(() => s.end(), 300);
  });
}

(async () => {
  const strict = await serve({});
  const port = strict.address().port;
  console.log('1.1 without Host:', await raw(port, 'GET /a HTTP/1.1\r\n\r\n'));
  console.log('1.1 with Host:', await raw(port, 'GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  console.log('1.0 without Host:', await raw(port, 'GET /c HTTP/1.0\r\n\r\n'));
  strict.close();
  const lenient = await serve({ requireHostHeader: false });
  console.log('lenient:', await raw(lenient.address().port, 'GET /d HTTP/1.1\r\nConnection: close\r\n\r\n'));
  lenient.close();
})();
