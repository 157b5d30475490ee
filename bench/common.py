"""What the benchmark scripts share: a free port, percentiles, one timed HTTP call, signing in,
and the demo server they start and wait for."""

import http.client
import json
import socket
import subprocess
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def call(conn, method, path, body=None, headers=None, raw=None, content_type=None):
    """One request on a kept-alive connection: (milliseconds, status, body bytes). `body` is sent as
    JSON, `raw` as is with `content_type`."""
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["content-type"] = "application/json"
    if raw is not None:
        data = raw
        h["content-type"] = content_type
    t0 = time.perf_counter()
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    out = r.read()
    return (time.perf_counter() - t0) * 1000, r.status, out


def login(conn, user):
    """Signs a demo account in; returns the authorization header."""
    _, status, data = call(conn, "POST", "/api/v1/auth/login", {"username": user, "password": "thanthien-demo"})
    assert status == 200, (status, data)
    return {"authorization": f"Bearer {json.loads(data)['access_token']}"}


def serve_demo(bin_path, port, url, env):
    """Starts `serve --demo` on 127.0.0.1:`port` over the database `url`, quietly."""
    return subprocess.Popen([bin_path, "serve", "--demo", "--port", str(port), "--database-url", url],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(port, tries):
    """Polls /readyz until it answers 200 (migrations and the demo seed done), at most `tries` times."""
    for _ in range(tries):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            if call(c, "GET", "/readyz")[1] == 200:
                break
        except OSError:
            time.sleep(0.05)
