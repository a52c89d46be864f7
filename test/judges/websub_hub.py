"""A stand-in for a WebSub hub's publish endpoint, behaving as Flask-WebSub 0.4's hub does (its hub blueprint, read
for this; Flask-WebSub itself is on PyPI only, which is not reachable here), on Debian's Flask.

POST / with a form: `hub.mode` and `hub.topic` are required (400 "Missing form argument: NAME"); `hub.callback` too for
subscribe and unsubscribe; a `hub.secret` of 200 bytes or more is refused; `hub.mode=publish` is accepted with 202
"Request received: publish"; any other mode is 400. Accepted publish topics are listed at GET /received. Prints the
port it listens on (a free one), then serves until stdin closes.
"""
import json
import sys
import threading

from flask import Flask, abort, request
from werkzeug.serving import make_server

app = Flask(__name__)
received = []


def form_argument(name):
    if name not in request.form:
        abort(400, "Missing form argument: " + name)
    return request.form[name]


@app.post("/")
def hub():
    mode = form_argument("hub.mode")
    topic = form_argument("hub.topic")
    if mode in ("subscribe", "unsubscribe"):
        form_argument("hub.callback")
    secret = request.form.get("hub.secret")
    if secret and len(secret.encode("utf-8")) >= 200:
        abort(400, "Secret is too big (should be < 200 bytes)")
    if mode != "publish":
        abort(400, "Invalid hub.mode (should be 'subscribe' or 'unsubscribe'): " + mode)
    received.append({"topic": topic, "form": request.form.to_dict(flat=False)})
    return "Request received: %s\n" % mode, 202


@app.get("/received")
def listed():
    return app.response_class(json.dumps(received), mimetype="application/json")


@app.errorhandler(400)
def bad_request(error):
    return error.description + "\n", 400


def main():
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_port, flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
