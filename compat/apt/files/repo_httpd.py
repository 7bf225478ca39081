#!/usr/bin/env python3
"""Serves a directory (argv[1]) over HTTP on 127.0.0.1 and a free port, which it writes to argv[2], for
argv[3] seconds: the apt playbooks' repository over loopback."""
import functools
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
threading.Timer(float(sys.argv[3]), server.shutdown).start()
server.serve_forever()
