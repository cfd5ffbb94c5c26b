"""The Demo routes as a plain WSGI app on uWSGI, with uWSGI's native websockets (its C framing).

Run by the benchmark as:
  uwsgi --plugins python3,gevent_python3 --http-socket 127.0.0.1:PORT --gevent 11000 --gevent-early-monkey-patch \
        --wsgi-file uwsgi_app.py --master --processes 1 --die-on-term
uWSGI 2.0.21 with gevent 22.10 (Debian 12) crashes without the early monkey patch, and its
--http11-socket keep-alive stalls about a second per request in async mode, so HTTP goes through
--http-socket, which closes the connection after each response.
"""
import json as jsonlib

import uwsgi

HELLO = b"Hello, World!"
GREETING = jsonlib.dumps({"message": "Hello, World!"}).encode()


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    method = environ.get("REQUEST_METHOD", "GET")
    if path == "/plaintext" and method == "GET":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(HELLO)))])
        return [HELLO]
    if path == "/json" and method == "GET":
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(GREETING)))])
        return [GREETING]
    if path == "/echo" and method == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        start_response("200 OK", [("Content-Type", environ.get("CONTENT_TYPE") or "application/octet-stream"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    if path == "/ws/echo":
        if "HTTP_SEC_WEBSOCKET_KEY" not in environ:
            start_response("426 Upgrade Required", [("Content-Type", "text/plain")])
            return [b"426 Upgrade Required: connect with a websocket\n"]
        uwsgi.websocket_handshake(environ["HTTP_SEC_WEBSOCKET_KEY"], environ.get("HTTP_ORIGIN", ""))
        while True:
            # uWSGI answers pings itself and raises IOError at close; it hides the opcode, so
            # every message goes back as binary (the benchmark counts messages, not types).
            try:
                message = uwsgi.websocket_recv()
            except IOError:
                return []
            uwsgi.websocket_send_binary(message)
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"404 Not Found\n"]
