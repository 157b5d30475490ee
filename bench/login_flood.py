#!/usr/bin/env python3
"""Concurrent sign-in flood, measured by hand, never timed in tests.

Starts the server (debug or release build) on a fresh SQLite database with the demo commune,
then sends N wrong-password sign-ins for one user at the same moment and reports:
  - how many were checked (401) and how many turned away (429 with Retry-After);
  - the server's resident memory before, and its peak (VmHWM) after.
Run twice: with the default limits (the throttle reserves tries before hashing), and with
--no-limits (every try is hashed; the hashing gate alone bounds memory: one argon2id hash of
19 MiB per core at a time).

    python3 bench/login_flood.py --bin target/debug/thanthien [--no-limits] [-n 40]
"""

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import free_port, serve_demo, wait_ready  # noqa: E402


def mem(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/thanthien")
    ap.add_argument("-n", type=int, default=40)
    ap.add_argument("--no-limits", action="store_true")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="thanthien-flood-")
    port = free_port()
    env = dict(os.environ, THANTHIEN__SERVER__DATA_DIR=tmp, THANTHIEN__LOG__LEVEL="warn")
    if a.no_limits:
        env["THANTHIEN__AUTH__LOGIN_MAX_FAILURES_PER_USER"] = "100000"
        env["THANTHIEN__AUTH__LOGIN_MAX_FAILURES_PER_IP"] = "100000"
    srv = serve_demo(a.bin, port, f"sqlite://{tmp}/flood.db", env)
    try:
        wait_ready(port, 600)
        # One right sign-in first so the lazy parts (dummy hash, pools) are warm.
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", "/api/v1/auth/login", body=json.dumps({"username": "ubnd", "password": "thanthien-demo"}),
                  headers={"content-type": "application/json"})
        c.getresponse().read()
        before = mem(srv.pid, "VmRSS")
        barrier = threading.Barrier(a.n)
        results = []

        def one():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            barrier.wait()
            conn.request("POST", "/api/v1/auth/login",
                         body=json.dumps({"username": "bdh", "password": "wrong-password-x"}),
                         headers={"content-type": "application/json"})
            r = conn.getresponse()
            r.read()
            results.append((r.status, r.getheader("retry-after")))

        threads = [threading.Thread(target=one) for _ in range(a.n)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        after, peak = mem(srv.pid, "VmRSS"), mem(srv.pid, "VmHWM")
        checked = sum(1 for s, _ in results if s == 401)
        refused = sum(1 for s, r in results if s in (429, 503) and r)
        print(f"{a.n} concurrent wrong passwords ({'no limits' if a.no_limits else 'default limits'}), "
              f"cores {os.cpu_count()}: {checked} checked (401), {refused} refused with Retry-After, "
              f"{len(results) - checked - refused} other, in {elapsed:.2f} s")
        print(f"RSS before {before:.0f} MB, after {after:.0f} MB, peak {peak:.0f} MB")
    finally:
        srv.terminate()
        srv.wait(timeout=10)


if __name__ == "__main__":
    main()
