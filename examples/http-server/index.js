'use strict';

// A small HTTP server: "Hello from Kiln" on /, a JSON document on /api/info, 404
// elsewhere. PORT overrides the port (8080).

const http = require('http');

const port = Number(process.env.PORT) || 8080;
const started = Date.now();
let served = 0;

const server = http.createServer((req, res) => {
  served++;
  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Hello from Kiln\n');
  } else if (req.method === 'GET' && req.url === '/api/info') {
    const body = JSON.stringify({
      name: 'kiln-http-server',
      platform: process.platform,
      uptimeMs: Date.now() - started,
      requestsServed: served,
    });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
  }
});

server.listen(port, () => {
  console.log(`listening on http://0.0.0.0:${server.address().port}`);
});
