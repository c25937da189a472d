#!/usr/bin/env python3
"""Every write acknowledged with 200 survives SIGKILL of the server.

Usage: durability.py --sx PATH [--mode inline|unwind] [--seconds S]

Starts `sx serve` on the test app, has several client threads POST rows (the app
answers 200 only after kv-put returned, i.e. after the commit), kills the server with
SIGKILL while the writes go on, restarts it on the same data directory, and checks that
every acknowledged row is there with its value.
"""
import argparse
import http.client
import os
import shutil
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sxserve import Checks, Server, copy_app  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENTS = 4
MAX_WRITES_PER_CLIENT = 2000  # bounds the loop whatever happens


def writer(port, cid, acked, stop):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for i in range(MAX_WRITES_PER_CLIENT):
        if stop.is_set():
            break
        key, value = "c%d-%05d" % (cid, i), "value %d of client %d" % (i, cid)
        try:
            conn.request("POST", "/write?k=" + key, body=value)
            r = conn.getresponse()
            body = r.read()
            if r.status == 200 and body == b"ok":
                acked.append((key, value))
        except (OSError, http.client.HTTPException):
            break  # the server is gone: this write was not acknowledged
    conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sx", required=True)
    ap.add_argument("--mode", default="unwind", choices=["inline", "unwind"])
    ap.add_argument("--seconds", type=float, default=1.5, help="how long the writes go on before SIGKILL")
    args = ap.parse_args()
    signal.alarm(120)
    tmp, app_dir = copy_app(os.path.join(HERE, "apps", "basic"))
    try:
        return run(args, app_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, app_dir):
    t = Checks()
    app = os.path.join(app_dir, "app.sx")
    data = os.path.join(app_dir, "data")
    acked = []  # list.append is atomic in CPython
    stop = threading.Event()
    s = Server(args.sx, app, "--mode", args.mode, "--data", data, "--workers", "2", "-q")
    threads = [threading.Thread(target=writer, args=(s.port, c, acked, stop)) for c in range(CLIENTS)]
    for th in threads:
        th.start()
    time.sleep(args.seconds)
    before_kill = len(acked)
    s.proc.send_signal(signal.SIGKILL)  # mid-stream: writes are in flight
    s.proc.wait(10)
    stop.set()
    for th in threads:
        th.join(10)
    t.check("writes were acknowledged before the kill", before_kill > 0, "none in %.1fs" % args.seconds)
    t.equal("the server died of SIGKILL", s.proc.returncode, -signal.SIGKILL)

    s2 = Server(args.sx, app, "--mode", args.mode, "--data", data, "--workers", "1", "-q")
    try:
        conn = s2.conn()
        missing = []
        for key, value in acked:
            conn.request("GET", "/read?k=" + key)
            r = conn.getresponse()
            body = r.read().decode()
            if r.status != 200 or body != value:
                missing.append((key, r.status, body))
        conn.close()
        t.equal("every acknowledged write survived SIGKILL (%d writes)" % len(acked), missing[:5], [])
        conn = s2.conn()
        conn.request("GET", "/count")
        stored = int(conn.getresponse().read())
        conn.close()
        t.check("no more rows than writes attempted", len(acked) <= stored <= len(acked) + CLIENTS,
                "%d acknowledged, %d stored" % (len(acked), stored))
    finally:
        s2.kill()
    print("%d writes acknowledged before SIGKILL" % len(acked))
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
