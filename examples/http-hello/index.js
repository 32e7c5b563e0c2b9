'use strict';

// The smallest useful HTTP server, and the one every setup in bench/http_hello.sh serves
// (the Linux + Node peer's apps/http.js is the same program): "hello" for any request.
// PORT overrides the port (8080).

const http = require('http');

const port = Number(process.env.PORT) || 8080;

http.createServer((req, res) => res.end('hello\n')).listen(port, () => {
  console.log(`listening on ${port}`);
});
