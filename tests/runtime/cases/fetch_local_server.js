'use strict';
// fetch() against a local http server: status, headers, json/text/arrayBuffer, POST
// bodies, redirects, Headers and Response.json, and a refused connection.
const http = require('http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => body += d);
  req.on('end', () => {
    if (req.url === '/redirect') { res.writeHead(302, { Location: '/json' }); res.end(); return; }
    if (req.url === '/json') { res.writeHead(200, { 'Content-Type': 'application/json', 'X-A': '1' }); res.end(JSON.stringify({ ok: true, method: req.method })); return; }
    if (req.url === '/missing') { res.writeHead(404); res.end('nope'); return; }
    res.end(`echo:${req.method}:${body}:${req.headers['content-type']}`);
  });
});
server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  let r = await fetch(`${base}/json`);
  console.log(r.status, r.ok, r.statusText, r.headers.get('content-type'), r.headers.get('x-a'), await r.json());
  r = await fetch(`${base}/echo`, { method: 'POST', body: 'hi there' });
  console.log(r.status, await r.text(), r.bodyUsed);
  r = await fetch(`${base}/missing`);
  console.log(r.status, r.ok, await r.text());
  r = await fetch(`${base}/redirect`);
  console.log(r.status, r.redirected, r.url.endsWith('/json'), (await r.json()).ok);
  r = await fetch(new Request(`${base}/echo`, { method: 'PUT', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } }));
  console.log(await r.text());
  const ab = await (await fetch(`${base}/echo`)).arrayBuffer();
  console.log(ab.byteLength);
  const h = new Headers({ b: '2', a: '1' }); h.append('a', '3');
  console.log([...h], h.get('A'), h.has('c'));
  const rj = Response.json({ x: 1 });
  console.log(rj.status, rj.headers.get('content-type'), await rj.text());
  try { await fetch('http://127.0.0.1:1/'); } catch (e) { console.log(e.name, e.message, e.cause !== undefined); }
  server.close();
});
