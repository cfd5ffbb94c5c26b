// A websocket client on Node's `ws` package (from bench/baselines/node), offering permessage-deflate as it does by
// default: echoes a text and a binary message through WS /ws/echo and prints the extensions the server accepted.
// Used by WebSocketCompressionClientTests; exits non-zero when an echo differs or the connection fails.
const WebSocket = require('ws');

const text = '{"type":"message","room":"lobby","text":"hello"}'.repeat(100);
const binary = Buffer.from(Array.from({ length: 256 * 64 }, (_, i) => i % 256));
const ws = new WebSocket(process.argv[2], { perMessageDeflate: true });
const expected = [[text, false], [binary, true], [text, false]];
const timer = setTimeout(() => { console.error('timed out'); process.exit(3); }, 20000);
ws.on('open', () => ws.send(expected[0][0]));
ws.on('message', (data, isBinary) => {
  const [sent, wasBinary] = expected.shift();
  if (isBinary !== wasBinary || !Buffer.from(data).equals(Buffer.from(sent))) {
    console.error('the echo differs');
    process.exit(2);
  }
  if (expected.length > 0) {
    ws.send(expected[0][0]);
    return;
  }
  console.log('extensions:', ws.extensions || 'none');
  clearTimeout(timer);
  ws.close(1000);
});
ws.on('error', error => { console.error(error.message); process.exit(1); });
