#!/usr/bin/env python3
"""API latency benchmark: starts the server (release build) on a fresh SQLite database (or
the PostgreSQL URL given with --database-url) with the demo commune, then measures, one
request at a time over a kept-alive connection:
  - login (argon2id hashing included): p50, p90, p99
  - list endpoints (units, users, audit log): p50, p99 — the design budget is p99 <= 15 ms.
Bounded: a fixed number of requests to 127.0.0.1 only; the server is stopped at the end."""

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import call, free_port, pct, serve_demo, wait_ready  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/thanthien")
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--logins", type=int, default=100)
    ap.add_argument("--lists", type=int, default=500)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="thanthien-bench-")
    port = free_port()
    url = a.database_url or f"sqlite://{tmp}/bench.db"
    env = dict(os.environ, THANTHIEN__SERVER__DATA_DIR=tmp, THANTHIEN__LOG__LEVEL="warn",
               THANTHIEN__AUTH__LOGIN_MAX_FAILURES_PER_IP="1000")
    srv = serve_demo(a.bin, port, url, env)
    try:
        wait_ready(port, 200)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        logins = []
        token = None
        users = ["admin", "bdh", "ubnd", "mttq", "thon1"]
        for i in range(a.logins):
            ms, status, data = call(conn, "POST", "/api/v1/auth/login",
                                    {"username": users[i % len(users)], "password": "thanthien-demo"})
            assert status == 200, (status, data)
            logins.append(ms)
            if users[i % len(users)] == "admin":
                token = json.loads(data)["access_token"]
        auth = {"authorization": f"Bearer {token}"}
        print(f"engine: {url.split(':')[0]}   cores: {os.cpu_count()}")
        print(f"login            n={len(logins):4d}  p50={statistics.median(logins):7.2f} ms  "
              f"p90={pct(logins, 90):7.2f} ms  p99={pct(logins, 99):7.2f} ms")
        for path in ["/api/v1/units", "/api/v1/users", "/api/v1/audit?per_page=50", "/api/v1/auth/me"]:
            times = []
            for _ in range(a.lists):
                ms, status, _ = call(conn, "GET", path, headers=auth)
                assert status == 200, (path, status)
                times.append(ms)
            print(f"GET {path:26s} n={len(times):4d}  p50={statistics.median(times):6.2f} ms  p99={pct(times, 99):6.2f} ms")
    finally:
        srv.terminate()
        srv.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
