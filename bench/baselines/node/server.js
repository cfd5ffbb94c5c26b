// The Demo routes on Node's http module with the ws package: node server.js PORT (binds 127.0.0.1).
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const hello = Buffer.from('Hello, World!');
const greeting = Buffer.from(JSON.stringify({ message: 'Hello, World!' }));

const server = http.createServer((req, res) => {
  if (req.url === '/plaintext' && req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': hello.length });
    res.end(hello);
  } else if (req.url === '/json' && req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': greeting.length });
    res.end(greeting);
  } else if (req.url === '/echo' && req.method === 'POST') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, { 'Content-Type': req.headers['content-type'] || 'application/octet-stream', 'Content-Length': body.length });
      res.end(body);
    });
  } else if (req.url === '/ws/echo') {
    res.writeHead(426, { 'Content-Type': 'text/plain' });
    res.end('426 Upgrade Required: connect with a websocket\n');
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('404 Not Found\n');
  }
});

// The ws README's echo server, on the upgrade event so plain HTTP stays on the same port. permessage-deflate is
// accepted when the client offers it (only the benchmark's ws-chat-deflate workloads do), with threshold 0 so that
// every message is compressed, as .NET's codec does once it is negotiated (ws's default leaves messages under 1 KiB plain).
const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: { threshold: 0 } });
sockets.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
server.on('upgrade', (req, socket, head) => {
  if (req.url !== '/ws/echo') {
    socket.destroy();
    return;
  }
  sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
});

server.listen(Number(process.argv[2]), '127.0.0.1', 4096);
process.on('SIGTERM', () => process.exit(0));
