#!/usr/bin/env python3
"""(http-listen port handler) from a program run by `sx FILE` and by `sx -e`; `sx serve`
that cannot start.

Usage: listen.py --sx PATH
"""
import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sxserve import TIMEOUT, Checks, copy_app  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def start(cmd, cwd):
    """Runs cmd, returns (proc, port, lines) once it printed its URL."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines, ready, found = [], threading.Event(), {}

    def read():
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            m = re.match(r"Serving http://127\.0\.0\.1:(\d+)/", line)
            if m:
                found["port"] = int(m.group(1))
                ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    ready.wait(TIMEOUT)
    return proc, found.get("port"), lines, reader


def get(port, path="/"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read().decode()
    finally:
        c.close()


def stop(proc, reader):
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = None
    reader.join(TIMEOUT)
    return code


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sx", required=True)
    args = ap.parse_args()
    args.sx = os.path.abspath(args.sx)  # the programs run in the app's folder
    signal.alarm(90)
    tmp, app_dir = copy_app(os.path.join(HERE, "apps", "listen"))
    t = Checks()
    try:
        proc, port, lines, reader = start([args.sx, "app.sx"], app_dir)
        t.check("sx app.sx serves", port is not None, lines)
        if port:
            st, body = get(port)
            t.equal("the handler answers", st, 200)
            t.check("served by a worker's load", re.match(r"served by load [23], loads so far 3$", body), body)
        t.equal("graceful stop", stop(proc, reader), 0)
        t.equal("one load in the launcher, then one per worker, in turn",
                sorted(l for l in lines if l.startswith("load ")), ["load 1", "load 2", "load 3"])
        after = [l for l in lines if l.startswith("after http-listen")]
        t.equal("workers go on loading; the launcher goes on after the server stops",
                sorted(after), ["after http-listen in load 1", "after http-listen in load 2", "after http-listen in load 3"])
        t.equal("the launcher's line comes last", lines[-1] if lines else None, "after http-listen in load 1")
        t.check("store beside the entry file", os.path.exists(os.path.join(app_dir, ".sx-data", "store.sqlite3")))

        proc, port, lines, reader = start([args.sx, "-e", '(http-listen 0 (fn (r) (str "from -e " (get r "path"))))'], app_dir)
        t.check("sx -e serves", port is not None, lines)
        if port:
            t.equal("the -e handler answers", get(port, "/x"), (200, "from -e /x"))
        t.equal("sx -e graceful stop", stop(proc, reader), 0)

        bad = subprocess.run([args.sx, "-e", '(http-listen 70000 (fn (r) ""))'], cwd=app_dir, capture_output=True,
                             text=True, timeout=TIMEOUT)
        t.check("a bad port is an error", bad.returncode == 1 and "port must be from 0 to 65535" in bad.stderr, bad.stderr)
        bad = subprocess.run([args.sx, "-e", '(http-listen 0 42)'], cwd=app_dir, capture_output=True, text=True,
                             timeout=TIMEOUT)
        t.check("a handler that is not a function is an error", bad.returncode == 1 and "handler" in bad.stderr, bad.stderr)
        startup_errors(t, args.sx, app_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return t.report()


def startup_errors(t, sx, app_dir):
    """`sx serve` that cannot start says why and exits 1."""
    def serve(*argv):
        return subprocess.run([sx, "serve", *argv], cwd=app_dir, capture_output=True, text=True, timeout=TIMEOUT)

    with open(os.path.join(app_dir, "nohandler.sx"), "w") as f:
        f.write("(define (not-the-handler r) r)\n")
    with open(os.path.join(app_dir, "broken.sx"), "w") as f:
        f.write("(define (handler r)\n  (str \"unclosed\"\n")
    r = serve("nohandler.sx", "--port", "0")
    t.check("no handler: exit 1 and why", r.returncode == 1 and "defines no `handler`" in r.stderr, r.stderr)
    r = serve("broken.sx", "--port", "0")
    t.check("a load error: exit 1 with the diagnostic", r.returncode == 1 and "broken.sx:2:3: error: unbalanced parenthesis" in r.stderr, r.stderr)
    r = serve("no-such-file.sx")
    t.equal("a missing file is a usage error", r.returncode, 2)
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        r = serve("app.sx", "--port", str(busy.getsockname()[1]), "--workers", "1")
        t.check("a port in use: exit 1 and why", r.returncode == 1 and "cannot listen on 127.0.0.1:" in r.stderr, r.stderr)
    finally:
        busy.close()


if __name__ == "__main__":
    sys.exit(main())
