#!/usr/bin/python3
"""The chat HostKit's samples/FlaskChat was ported from: Flask + gevent-websocket, as the blog posts write it.

Every message a client sends goes to every connected client. Run it with Debian's python3
(apt-get install python3-flask python3-gevent python3-gevent-websocket):

    /usr/bin/python3 samples/python/chat/flask_chat.py 8000

and open http://127.0.0.1:8000/. samples/FlaskChat serves the same page and protocol on any HostKit host.
"""
import os
import sys

from flask import Flask, Response, request
from gevent.pywsgi import WSGIServer
from geventwebsocket.handler import WebSocketHandler

app = Flask(__name__)
clients = set()


@app.get("/")
def index():
    with open(os.path.join(os.path.dirname(__file__), "index.html"), "rb") as page:
        return Response(page.read(), content_type="text/html; charset=utf-8")


@app.route("/chat", websocket=True)
def chat():
    socket = request.environ["wsgi.websocket"]
    clients.add(socket)
    try:
        while (message := socket.receive()) is not None:
            for client in list(clients):
                try:
                    client.send(message)
                except Exception:
                    clients.discard(client)
    finally:
        clients.discard(socket)
    return Response()


if __name__ == "__main__":
    WSGIServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8000), app, handler_class=WebSocketHandler).serve_forever()
