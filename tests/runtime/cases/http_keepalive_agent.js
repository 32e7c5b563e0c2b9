'use strict';
// Agent pooling: with keepAlive and maxSockets 1, five requests share one connection
// (queued ones wait for the free socket); without keepAlive each gets its own.
const http = require('http');

let connections = 0;
const server = http.createServer((req, res) => res.end(`${req.url} ${req.headers.connection}`));
server.on('connection', () => connections++);

server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const run = (agent, path) => new Promise((resolve, reject) => {
    http.get({ port, host: '127.0.0.1', path, agent }, (res) => {
      let body = '';
      res.on('data', (d) => body += d);
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
  const pooled = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const bodies = await Promise.all([1, 2, 3, 4, 5].map((n) => run(pooled, `/p${n}`)));
  console.log(bodies.join(' | '));
  console.log('connections with keepAlive:', connections);
  console.log('free sockets:', Object.values(pooled.freeSockets).flat().length);
  pooled.destroy();

  connections = 0;
  const plain = new http.Agent({ keepAlive: false });
  for (let n = 1; n <= 3; n++) console.log(await run(plain, `/c${n}`));
  console.log('connections without keepAlive:', connections);
  server.close(() => console.log('closed'));
});
