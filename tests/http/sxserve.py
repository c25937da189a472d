"""Starting `sx serve` on loopback for the HTTP tests, and small raw-socket helpers.

Everything is bounded: the server is started with port 0 (the printed URL gives the
port), every socket operation has a timeout, and the server is killed on exit.
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

TIMEOUT = 10.0  # seconds for any single network operation or startup


class Server:
    """`sx serve APP` in a subprocess; its stdout lines are collected in a thread."""

    def __init__(self, sx, app, *args):
        self.lines = []
        self.errors = []
        self.proc = subprocess.Popen([sx, "serve", app, "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.port = None
        ready = threading.Event()

        def read_stdout():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                m = re.match(r"Serving http://127\.0\.0\.1:(\d+)/$", line.strip())
                if m:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        def read_stderr():
            for line in self.proc.stderr:
                self.errors.append(line.rstrip("\n"))

        threading.Thread(target=read_stdout, daemon=True).start()
        threading.Thread(target=read_stderr, daemon=True).start()
        if not ready.wait(TIMEOUT) or self.port is None:
            self.kill()
            raise RuntimeError("sx serve did not start: %s" % "\n".join(self.lines + self.errors))

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)

    def request(self, method, path, body=None, headers=None):
        """One request on a new connection: (status, headers dict lower-case, body text)."""
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
        finally:
            c.close()

    def raw(self, data, read_timeout=TIMEOUT):
        """Sends raw bytes on a new connection and returns everything read until the server
        closes it (or the timeout passes)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
        try:
            s.sendall(data)
            s.settimeout(read_timeout)
            out = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                if not chunk:
                    break
                out += chunk
            return out
        finally:
            s.close()

    def stop(self, sig=signal.SIGTERM):
        """Sends `sig` and waits for the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(TIMEOUT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()


def status_of(raw_response):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", raw_response)
    return int(m.group(1)) if m else None


def copy_app(src_dir):
    """A copy of an app folder in a fresh temporary directory (its .sx-data stays there)."""
    tmp = tempfile.mkdtemp(prefix="sx-http-")
    dst = os.path.join(tmp, "app")
    shutil.copytree(src_dir, dst, symlinks=True, ignore=shutil.ignore_patterns(".sx-data"))
    return tmp, dst


class Checks:
    """Counts checks; a failed check is printed and the run fails at the end."""

    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed.append(name)
            print("FAIL %s %s" % (name, detail), flush=True)

    def equal(self, name, got, want):
        self.check(name, got == want, "got %r, want %r" % (got, want))

    def contains(self, name, text, part):
        self.check(name, part in text, "%r not in %r" % (part, text[:400]))

    def report(self):
        print("%d checks passed, %d failed" % (self.passed, len(self.failed)), flush=True)
        return 0 if not self.failed else 1


def elapsed(fn):
    t0 = time.monotonic()
    result = fn()
    return result, time.monotonic() - t0
