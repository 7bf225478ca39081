#!/usr/bin/env python3
"""A tiny HTTP server for the uri playbooks: binds 127.0.0.1 on a free port, writes the port to argv[1],
serves until argv[2] seconds have passed. Paths: /text, /json, /status/NNN, /echo (POST: echoes method,
headers and body as JSON), /redirect (302 to /text)."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body, ctype="text/plain", extra=None):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

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
        else:
            self.reply(404, "not found\n")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        self.reply(200, json.dumps({"method": "POST", "body": body,
                                    "ctype": self.headers.get("Content-Type", "")}), "application/json")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
threading.Timer(float(sys.argv[2]), server.shutdown).start()
server.serve_forever()
