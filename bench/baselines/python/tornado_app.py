"""The Demo routes on Tornado: python3 tornado_app.py PORT (binds 127.0.0.1)."""
import sys

import tornado.ioloop
import tornado.web
import tornado.websocket


class Plaintext(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write(b"Hello, World!")


class Json(tornado.web.RequestHandler):
    def get(self):
        self.write({"message": "Hello, World!"})


class Echo(tornado.web.RequestHandler):
    def post(self):
        self.set_header("Content-Type", self.request.headers.get("Content-Type", "application/octet-stream"))
        self.write(self.request.body)


class EchoSocket(tornado.websocket.WebSocketHandler):
    def check_origin(self, origin):
        return True

    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


if __name__ == "__main__":
    app = tornado.web.Application([
        (r"/plaintext", Plaintext),
        (r"/json", Json),
        (r"/echo", Echo),
        (r"/ws/echo", EchoSocket),
    ])
    app.listen(int(sys.argv[1]), address="127.0.0.1", backlog=4096)
    tornado.ioloop.IOLoop.current().start()
