'use strict';
// allowHalfOpen: the server reads the client's FIN ('end'), keeps writing, then ends;
// without it the socket ends its side automatically after 'end'.
const net = require('net');

function halfOpenCase(done) {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => received += d);
    socket.on('end', () => {
      console.log('server saw end, received', JSON.stringify(received), 'writable', socket.writable);
      setTimeout(() => {
        socket.write('late reply');
        socket.end(' and bye');
      }, 20);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const client = net.connect(server.address().port, '127.0.0.1', () => client.end('request'));
    let reply = '';
    client.setEncoding('utf8');
    client.on('data', (d) => reply += d);
    client.on('end', () => console.log('client got', JSON.stringify(reply)));
    client.on('close', () => server.close(done));
  });
}

const events = [];
function autoEndCase(done) {
  const server = net.createServer((socket) => {
    socket.on('end', () => console.log('server end; writableEnded soon'));
    socket.on('finish', () => console.log('server socket finished (auto end)'));
    socket.on('close', () => events.push('server socket closed'));
    socket.resume();
  });
  server.listen(0, '127.0.0.1', () => {
    const client = net.connect(server.address().port, '127.0.0.1', () => client.end());
    client.on('end', () => console.log('client saw end'));
    client.resume();
    client.on('close', () => server.close(() => {
      console.log(events.join(', '));
      done();
    }));
  });
}

halfOpenCase(() => autoEndCase(() => console.log('done')));
