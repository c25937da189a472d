#!/usr/bin/env python3
"""End-to-end tests of `sx serve` with a real HTTP client on loopback.

Usage: e2e.py --sx PATH --mode inline|unwind [--tier cek|vm|jit] [--gc-stress]

Starts the test app (apps/basic) on a free port and checks routes, the store, static
files and traversal, the limits (400, 431, 413, 408), handler errors (500 with the
stack, then the server keeps serving), keep-alive, concurrency around a sleeping
handler, the access log, and a graceful stop on SIGTERM.
"""
import argparse
import os
import re
import shutil
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sxserve import Checks, Server, copy_app, elapsed, status_of  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def routes(t, s):
    st, h, body = s.request("GET", "/")
    t.equal("GET / status", st, 200)
    t.contains("GET / body", body, "<h1>hello from sx</h1>")
    t.contains("GET / content type", h.get("content-type", ""), "text/html")
    st, h, body = s.request("GET", "/text")
    t.equal("text", (st, body, h.get("content-type")), (200, "plain text", "text/plain; charset=utf-8"))
    t.equal("status from dict", s.request("GET", "/status")[0], 201)
    st, h, body = s.request("GET", "/headers")
    t.equal("custom header", h.get("x-sx"), "yes")
    st, _, body = s.request("GET", "/echo?a=1&b=x+y%21&a=2&e=%C3%A9", headers={"X-Test": "agent 7"})
    t.contains("query decoded, last value wins", body, ':query {:a "2" :b "x y!" :e "é"}')
    t.contains("headers lower-case", body, ':agent "agent 7"')
    st, _, body = s.request("POST", "/echo", body="name=Ada+L&x=%26",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    t.contains("form fields", body, ':form {:name "Ada L" :x "&"}')
    t.contains("body as received", body, ':body "name=Ada+L&x=%26"')
    t.contains("method", body, ':method "POST"')
    t.equal("raw html body", s.request("GET", "/raw")[2], "<p>raw <b>html</b></p>")
    t.equal("SX io handler resolved on the worker", s.request("GET", "/handled")[2], "mock anything")
    st, _, body = s.request("GET", "/no/such/route")
    t.equal("handler's 404", (st, body), (404, "no route /no/such/route"))
    st, h, body = s.request("HEAD", "/text")
    t.equal("HEAD: no body, real length", (st, body, h.get("content-length")), (200, "", "10"))


def store(t, s, app_path):
    t.equal("write acknowledged", s.request("POST", "/write?k=a", body="first")[0:3:2], (200, "ok"))
    s.request("POST", "/write?k=b", body="second")
    t.equal("read back", s.request("GET", "/read?k=a")[2], "first")
    t.equal("missing key", s.request("GET", "/read?k=zz")[0], 404)
    t.equal("reads in a map callback", s.request("GET", "/many")[2], "row:a=first,row:b=second")
    t.equal("count", s.request("GET", "/count")[2], "2")
    secret = os.path.join(os.path.dirname(app_path), "secret.txt")
    t.equal("read-file (on an IO thread in unwind mode)", s.request("GET", "/file?name=" + secret)[0:3:2],
            (200, "secret outside static\n"))
    st, _, body = s.request("GET", "/file?name=/no/such/file")
    t.check("read-file of a missing file raises", st == 500 and "read-file: cannot open /no/such/file" in body, body)


def static_files(t, s, app_dir):
    st, h, body = s.request("GET", "/static/site.css")
    t.equal("static css", (st, h.get("content-type"), body), (200, "text/css; charset=utf-8", "body { color: teal; }\n"))
    t.equal("static in a subfolder", s.request("GET", "/static/sub/page.html")[0:3:2], (200, "<p>static page</p>\n"))
    t.equal("static missing", s.request("GET", "/static/nope.css")[0], 404)
    t.equal("static folder itself", s.request("GET", "/static/sub")[0], 404)
    t.equal("static POST", s.request("POST", "/static/site.css")[0], 405)
    with open(os.path.join(app_dir, "static", "huge.bin"), "wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: over the 64 MiB static file limit
    t.equal("a static file over the limit is refused", s.request("GET", "/static/huge.bin")[0], 403)
    os.symlink(os.path.join(app_dir, "secret.txt"), os.path.join(app_dir, "static", "link.txt"))
    for path in ["/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/sub/../../secret.txt",
                 "/static/..%2fsecret.txt", "/static/%2e%2e%2fsecret.txt", "/static//etc/passwd",
                 "/static/sub/..%5c..%5csecret.txt", "/static/link.txt"]:
        raw = s.raw(("GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % path).encode())
        t.check("traversal refused: " + path, status_of(raw) in (403, 404), raw[:80])
        t.check("no file outside static: " + path, b"secret outside static" not in raw and b"root:" not in raw)


def limits(t, s):
    for name, req in [("garbage request line", b"GARBAGE\r\n\r\n"),
                      ("bad version", b"GET / HTTP/9\r\n\r\n"),
                      ("missing target", b"GET\r\n\r\n"),
                      ("space in method", b"G ET / HTTP/1.1\r\nHost: t\r\n\r\n"),
                      ("bad header line", b"GET / HTTP/1.1\r\nno colon here\r\n\r\n")]:
        t.equal("400 for " + name, status_of(s.raw(req)), 400)
    big = b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * (20 * 1024) + b"\r\n\r\n"
    t.equal("431 for a 20 KiB header", status_of(s.raw(big)), 431)
    long_target = b"GET /" + b"p" * (17 * 1024) + b" HTTP/1.1\r\nHost: t\r\n\r\n"
    t.equal("431 for a 17 KiB request line", status_of(s.raw(long_target)), 431)
    body = b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 9000000\r\n\r\n"
    t.equal("413 for a 9 MB body", status_of(s.raw(body)), 413)
    ok = b"POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 1000000\r\n\r\n" + b"z" * 1000000
    t.equal("a 1 MB body is fine", status_of(s.raw(ok)), 200)
    t.equal("still serving after bad requests", s.request("GET", "/text")[2], "plain text")


def idle_timeout(t, s):
    # The server runs with --idle-timeout 0.5: a half-sent request gets 408.
    raw, secs = elapsed(lambda: s.raw(b"GET /text HTTP/1.1\r\nHost: t\r\n", read_timeout=5))
    t.equal("408 for a request that never completes", status_of(raw), 408)
    t.check("408 comes after the idle timeout", 0.4 <= secs < 3.0, "%.2fs" % secs)
    raw, secs = elapsed(lambda: s.raw(b"", read_timeout=5))
    t.equal("an idle connection is closed without a response", raw, b"")
    t.check("idle close after the timeout", 0.4 <= secs < 3.0, "%.2fs" % secs)


def errors(t, s):
    st, h, body = s.request("GET", "/boom")
    t.equal("raise gives 500", st, 500)
    t.contains("500 has the message", body, "boom from the handler")
    t.contains("500 plain text for non-browsers", h.get("content-type", ""), "text/plain")
    st, h, body = s.request("GET", "/deep", headers={"Accept": "text/html,application/xhtml+xml"})
    t.equal("deep error 500", st, 500)
    t.contains("500 HTML for browsers", h.get("content-type", ""), "text/html")
    t.contains("500 HTML page", body, "<pre>")
    t.check("500 has the SX location", re.search(r"app\.sx:\d+:16: error: Undefined symbol: get-the-missing-thing", body),
            body[:300])
    t.contains("500 shows the source line", body, "(get-the-missing-thing)")
    st, _, body = s.request("GET", "/nested")
    t.equal("nested error 500", st, 500)
    t.contains("500 has the SX stack (callers)", body, "at level-b (")
    t.contains("500 has the whole SX stack", body, "at level-a (")
    st, _, body = s.request("GET", "/bad-response")
    t.equal("a non-response answer is 500", st, 500)
    t.contains("the 500 says why", body, "must return a string or a response dict")
    t.equal("still serving after handler errors", s.request("GET", "/")[0], 200)


def keep_alive(t, s):
    c = s.conn()
    try:
        socks = set()
        for i in range(5):
            c.request("GET", "/text")
            r = c.getresponse()
            t.equal("keep-alive response %d" % i, (r.status, r.read()), (200, b"plain text"))
            t.check("no Connection: close %d" % i, (r.getheader("Connection") or "").lower() != "close")
            socks.add(id(c.sock))
        t.equal("five requests on one connection", len(socks), 1)
    finally:
        c.close()
    raw = s.raw(b"GET /text HTTP/1.1\r\nHost: t\r\n\r\nGET /status HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    t.equal("pipelined requests answered in order", [int(x) for x in re.findall(rb"HTTP/1.1 (\d+)", raw)], [200, 201])


def concurrency(t, sx, app, mode, engine):
    """One worker; one request sleeps 1 s; five others arrive meanwhile."""
    with Server(sx, app, *engine, "--workers", "1", "-q") as s:
        slow = {}

        def run_slow():
            slow["result"], slow["secs"] = elapsed(lambda: s.request("GET", "/sleep?ms=1000"))

        th = threading.Thread(target=run_slow)
        th.start()
        time.sleep(0.15)  # the slow request is in its handler
        fast = []
        t0 = time.monotonic()
        for _ in range(5):
            fast.append(s.request("GET", "/text"))
        fast_done = time.monotonic() - t0
        th.join(15)
        t.equal("slow request answered", slow["result"][0:3:2], (200, "slept 1000"))
        t.check("the slow request took its second", slow["secs"] >= 0.95, "%.2fs" % slow["secs"])
        t.equal("fast requests answered", [r[2] for r in fast], ["plain text"] * 5)
        if mode == "unwind":
            t.check("fast requests do not wait for the sleeping one (unwind)", fast_done < 0.5,
                    "the five took %.2fs" % fast_done)
            t.check("fast requests finish well before the slow one", fast_done + 0.15 < slow["secs"] - 0.3,
                    "fast %.2fs, slow %.2fs" % (fast_done, slow["secs"]))


def access_log(t, s, mode):
    time.sleep(0.2)
    lines = list(s.lines)
    t.check("access log line", any(l.startswith("GET /text 200 ") for l in lines), lines[-5:])
    many = [l for l in lines if l.startswith("GET /many 200")]
    t.check("access log of /many", len(many) == 1, many)
    if many:
        if mode == "unwind":
            t.contains("suspensions counted in unwind mode", many[0], "ops=3 suspended=3")
        else:
            t.contains("ops counted in place in inline mode", many[0], "ops=3 suspended=0")
    t.check("500s logged with their error", any("boom from the handler" in e for e in s.errors), s.errors[-3:])


def graceful_stop(t, sx, app, engine):
    with Server(sx, app, *engine, "--workers", "1", "-q") as s:
        result = {}

        def run_slow():
            result["r"] = s.request("GET", "/sleep?ms=600")

        th = threading.Thread(target=run_slow)
        th.start()
        time.sleep(0.2)
        code = s.stop(signal.SIGTERM)
        th.join(10)
        t.equal("in-flight request finished during shutdown", result.get("r", (None,))[0:3:2], (200, "slept 600"))
        t.equal("exit code 0 after SIGTERM", code, 0)
        try:
            s.request("GET", "/")
            refused = False
        except OSError:
            refused = True
        t.check("no connections after the stop", refused)


def engine_args(args):
    return ["--mode", args.mode, "--tier", args.tier] + (["--gc-stress"] if args.gc_stress else [])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sx", required=True)
    ap.add_argument("--mode", required=True, choices=["inline", "unwind"])
    ap.add_argument("--tier", default="vm")
    ap.add_argument("--gc-stress", action="store_true", help="collect at every safepoint in every worker")
    args = ap.parse_args()
    signal.alarm(150)  # the whole run is bounded
    tmp, app_dir = copy_app(os.path.join(HERE, "apps", "basic"))
    try:
        return run_all(args, app_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(args, app_dir):
    app = os.path.join(app_dir, "app.sx")
    t = Checks()
    with Server(args.sx, app, *engine_args(args), "--workers", "2", "--idle-timeout", "0.5") as s:
        routes(t, s)
        store(t, s, app)
        static_files(t, s, app_dir)
        limits(t, s)
        idle_timeout(t, s)
        errors(t, s)
        keep_alive(t, s)
        access_log(t, s, args.mode)
        t.check("store in .sx-data beside the entry file", os.path.exists(os.path.join(app_dir, ".sx-data", "store.sqlite3")))
        t.equal("the server stops cleanly after all that", s.stop(signal.SIGTERM), 0)
        unexpected = [e for e in s.errors if not e.startswith("sx serve: handler error in ")]
        t.equal("nothing unexpected on stderr", unexpected[:5], [])
    concurrency(t, args.sx, app, args.mode, engine_args(args))
    graceful_stop(t, args.sx, app, engine_args(args))
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
