// Regression: reusing a keep-alive socket must not add an 'error' listener per request
// (it did: MaxListenersExceededWarning after 10 requests on one socket).
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const port = server.address().port;
  let socket;
  for (let i = 0; i < 25; i++) {
    await new Promise((resolve, reject) => {
      const req = http.get({ port, host: '127.0.0.1', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('socket', (s) => { socket = s; });
      req.on('error', reject);
    });
  }
  console.log('requests done: 25');
  console.log('error listeners on the reused socket <= 2:', socket.listenerCount('error') <= 2);
  agent.destroy();
  server.close();
});
