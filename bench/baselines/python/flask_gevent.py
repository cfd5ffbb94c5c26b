"""Flask + gevent-websocket on gevent's WSGI server: python3 flask_gevent.py PORT (binds 127.0.0.1)."""
from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

from gevent.pywsgi import WSGIServer  # noqa: E402
from geventwebsocket.handler import WebSocketHandler  # noqa: E402

from flask_app import app  # noqa: E402

WSGIServer(("127.0.0.1", int(sys.argv[1])), app, handler_class=WebSocketHandler, log=None, backlog=4096).serve_forever()
