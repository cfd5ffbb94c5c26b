"""A websocket client on Python's `websockets` (Debian's python3-websockets), offering permessage-deflate as it does
by default: echoes a text and a binary message through WS /ws/echo and prints the extensions the server accepted.
Used by WebSocketCompressionClientTests; exits non-zero when an echo differs."""
import asyncio
import sys

import websockets


async def main(url):
    text = '{"type":"message","room":"lobby","text":"hello"}' * 100
    binary = bytes(range(256)) * 64
    async with websockets.connect(url, compression="deflate") as ws:
        for message in (text, binary, text):
            await ws.send(message)
            echo = await asyncio.wait_for(ws.recv(), 20)
            if echo != message:
                sys.exit(f"the echo of a {type(message).__name__} message differs")
        print("extensions:", ", ".join(e.name for e in ws.extensions) or "none")


asyncio.run(main(sys.argv[1]))
