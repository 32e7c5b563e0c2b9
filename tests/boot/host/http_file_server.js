'use strict';

// Host side of the fetch boot test, run by kiln-runtime on the host: serves the files of
// DIR on 127.0.0.1 (never another address) at PORT (0: any free port), with a content
// type from the extension, 404 for anything else; prints the port it got and one line
// per request.
//
//   kiln-runtime http_file_server.js DIR [PORT]

const http = require('http');
const fs = require('fs');
const path = require('path');

const root = path.resolve(process.argv[2]);
const TYPES = { '.json': 'application/json', '.txt': 'text/plain; charset=utf-8' };

const server = http.createServer((req, res) => {
  const file = path.join(root, path.normalize(req.url.split('?')[0]));
  let body;
  try {
    body = file.startsWith(root + path.sep) ? fs.readFileSync(file) : undefined;
  } catch {
    body = undefined;
  }
  console.log(`${req.method} ${req.url} ${body ? 200 : 404}`);
  if (!body) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
  res.end(body);
});

server.listen(Number(process.argv[3] || 0), '127.0.0.1', () => {
  console.log(`http file server listening on 127.0.0.1:${server.address().port}`);
});
