"""The Demo routes as a Flask user writes them, with gevent-websocket for WS /ws/echo.

Served two ways by the benchmark: gevent's own WSGI server (flask_gevent.py) and gunicorn with
gevent-websocket's worker (`gunicorn -k geventwebsocket.gunicorn.workers.GeventWebSocketWorker
flask_app:app`). gevent-websocket puts the socket in environ['wsgi.websocket'].
"""
from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.get("/plaintext")
def plaintext():
    return Response("Hello, World!", content_type="text/plain")


@app.get("/json")
def json():
    return jsonify(message="Hello, World!")


@app.post("/echo")
def echo():
    return Response(request.get_data(), content_type=request.content_type or "application/octet-stream")


@app.get("/ws/echo")
def ws_echo_without_upgrade():
    return Response("426 Upgrade Required: connect with a websocket\n", status=426, content_type="text/plain")


# Werkzeug routes an upgrade request only to a rule marked websocket=True (others answer 400).
@app.route("/ws/echo", websocket=True)
def ws_echo():
    socket = request.environ["wsgi.websocket"]
    while True:
        message = socket.receive()
        if message is None:
            break
        socket.send(message, binary=isinstance(message, (bytes, bytearray)))
    return Response()
