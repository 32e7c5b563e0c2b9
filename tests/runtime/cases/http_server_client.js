'use strict';
// http server + client: GET and POST with Content-Length, a chunked request body, a
// chunked response, keep-alive reuse through the global agent.
const http = require('http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => body += d);
  req.on('end', () => {
    if (req.url === '/json') { res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify({ method: req.method, body })); return; }
    if (req.url === '/chunked') { res.write('a'); res.write('bc'); res.end('d'); return; }
    res.writeHead(200, { 'X-Test': 'yes' });
    res.end(`${req.method} ${req.url} ${body.length} ${req.headers['transfer-encoding'] || '-'}`);
  });
});
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const get = (path, opts = {}) => new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', path, ...opts }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => data += d);
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, data, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    if (opts.body) { if (opts.chunked) { req.write(opts.body.slice(0, 3)); req.write(opts.body.slice(3)); req.end(); } else req.end(opts.body); } else req.end();
  });
  let r = await get('/hello');
  console.log(r.status, r.data, r.headers['x-test'], r.headers['content-length'], r.headers.connection, r.reused);
  r = await get('/json', { method: 'POST', body: 'hello world' });
  console.log(r.status, r.data, r.headers['content-type'], r.reused);
  r = await get('/echo', { method: 'POST', body: 'chunky body', chunked: true });
  console.log(r.status, r.data, r.reused);
  r = await get('/chunked');
  console.log(r.status, r.data, r.headers['transfer-encoding'], r.reused);
  server.close(() => console.log('closed'));
  http.globalAgent.destroy();
});
