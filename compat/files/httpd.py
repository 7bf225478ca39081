#!/usr/bin/env python3
"""A tiny HTTP server for the uri, wait_for and get_url playbooks: binds 127.0.0.1 on a free port, writes the port
to argv[1], serves until argv[2] seconds have passed. Paths: /text, /json, /status/NNN, /echo (POST: echoes method,
headers and body as JSON), /redirect (302 to /text), /header (the X-Compat header sent).
With argv[3], a directory: /files/NAME serves that directory's file NAME (Last-Modified, and 304 Not Modified for
an If-Modified-Since not older than the file), /redirect-files/NAME redirects there, /disposition/NAME serves it
with Content-Disposition naming it "from-header-NAME", /auth/NAME serves it only with Basic auth user:secret
(else 401 asking for it)."""
import base64
import email.utils
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FILES = sys.argv[3] if len(sys.argv) > 3 else None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body, ctype="text/plain", extra=None):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def serve_file(self, name, extra=None):
        path = os.path.join(FILES, os.path.basename(name)) if FILES else None
        if not path or not os.path.isfile(path):
            self.reply(404, "not found\n")
            return
        mtime = int(os.path.getmtime(path))
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if mtime <= email.utils.parsedate_to_datetime(since).timestamp():
                    self.send_response(304)
                    self.end_headers()
                    return
            except (TypeError, ValueError):
                pass
        headers = {"Last-Modified": email.utils.formatdate(mtime, usegmt=True)}
        headers.update(extra or {})
        with open(path, "rb") as f:
            self.reply(200, f.read(), "application/octet-stream", headers)

    def do_GET(self):
        if self.path == "/text":
            self.reply(200, "hello from uri\n")
        elif self.path == "/json":
            self.reply(200, json.dumps({"name": "fleet", "items": [1, 2]}), "application/json")
        elif self.path.startswith("/status/"):
            self.reply(int(self.path.split("/")[2]), "status body\n")
        elif self.path == "/redirect":
            self.reply(302, "", extra={"Location": "/text"})
        elif self.path == "/header":
            self.reply(200, self.headers.get("X-Compat", "none"))
        elif self.path.startswith("/files/"):
            self.serve_file(self.path[len("/files/"):])
        elif self.path.startswith("/redirect-files/"):
            self.reply(302, "", extra={"Location": "/files/" + self.path[len("/redirect-files/"):]})
        elif self.path.startswith("/disposition/"):
            name = self.path[len("/disposition/"):]
            self.serve_file(name, {"Content-Disposition": 'attachment; filename="from-header-%s"' % name})
        elif self.path.startswith("/auth/"):
            wanted = "Basic " + base64.b64encode(b"user:secret").decode()
            if self.headers.get("Authorization") != wanted:
                self.reply(401, "who are you?\n", extra={"WWW-Authenticate": 'Basic realm="compat"'})
            else:
                self.serve_file(self.path[len("/auth/"):])
        else:
            self.reply(404, "not found\n")

    def do_HEAD(self):  # get_url's --check asks with HEAD; the reply carries no body
        self.do_GET()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        self.reply(200, json.dumps({"method": "POST", "body": body,
                                    "ctype": self.headers.get("Content-Type", "")}), "application/json")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
threading.Timer(float(sys.argv[2]), server.shutdown).start()
server.serve_forever()
