#!/usr/bin/env python3
"""Slow clients do not starve normal ones (reliability suite).

Many connections (slowloris-like) send their request headers a byte at a time, and a few
signed-in clients trickle a request body. Meanwhile normal requests (readiness, a signed-in
list) must keep being answered promptly, and the server must cut the slow connections off by
itself (request-head timeout → 408 or close; body idle/rate limits → 408) — polled with
generous bounds.

    python3 tests/reliability/slow_clients.py [--connections 300]
"""

import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Server, check, login, request, rmtree, script_main, tmpdir  # noqa: E402

HEAD_TIMEOUT = 3  # seconds, configured on the server for this run (default 10)


def run(binary, connections):
    data = tmpdir("slow")
    srv = Server(binary, data, env={
        "THANTHIEN__SERVER__REQUEST_HEAD_TIMEOUT_SECS": str(HEAD_TIMEOUT),
        "THANTHIEN__SERVER__BODY_IDLE_TIMEOUT_SECS": "3",
    }).start()
    socks = []
    try:
        token = login(srv.port, "ubnd")
        head = (f"GET /api/v1/dossiers HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n"
                "User-Agent: slowloris\r\nX-a: " + "b" * 64 + "\r\n\r\n").encode()
        for _ in range(connections):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.setblocking(False)
            socks.append([s, 0, None])  # socket, bytes sent, when the server closed it
        # Two trickled bodies from signed-in clients.
        body_socks = []
        for _ in range(2):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.sendall((f"POST /api/v1/dossiers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                       "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{").encode())
            s.settimeout(30)
            body_socks.append(s)
        stop = threading.Event()
        t0 = time.monotonic()

        def trickle():
            # One byte per connection per 0.5 s, until the server has cut each one off.
            while not stop.is_set():
                for entry in socks:
                    s, sent, closed = entry
                    if closed is not None:
                        continue
                    try:
                        s.send(head[sent % len(head):sent % len(head) + 1])
                        entry[1] += 1
                        data_ = s.recv(4096)
                        if data_ == b"" or data_.startswith(b"HTTP/1.1 408"):
                            entry[2] = time.monotonic() - t0
                    except BlockingIOError:
                        pass
                    except OSError:
                        entry[2] = time.monotonic() - t0
                time.sleep(0.5)

        tr = threading.Thread(target=trickle, daemon=True)
        tr.start()
        # Normal clients all through the attack, until the server has cut every slow head off.
        latencies = []
        deadline = time.monotonic() + HEAD_TIMEOUT * 10
        while not all(e[2] is not None for e in socks):
            check(time.monotonic() < deadline,
                  f"slow heads still open after {HEAD_TIMEOUT * 10} s: "
                  f"{sum(1 for e in socks if e[2] is None)} of {connections} never cut off by the server")
            t = time.monotonic()
            st = request(srv.port, "GET", "/readyz", timeout=10)[0]
            st2 = request(srv.port, "GET", "/api/v1/dossiers?per_page=5", token=token, timeout=10)[0]
            latencies.append(time.monotonic() - t)
            check(st == 200 and st2 == 200, f"normal request {len(latencies)} during the slow-client attack: {st}, {st2}")
            time.sleep(0.1)  # pacing of the normal client, not a condition
        check(len(latencies) >= 5, f"only {len(latencies)} normal requests ran during the attack")
        worst = max(latencies)
        check(worst < 5, f"a normal request waited {worst:.1f} s behind slow clients")
        cut = max(e[2] for e in socks)
        # And the trickled bodies: 408 from the body idle timeout.
        for s in body_socks:
            got = s.recv(200)
            check(got.startswith(b"HTTP/1.1 408"), f"a stalled body was answered {got[:40]!r}, not 408")
        stop.set()
        return (f"{connections} byte-by-byte heads + 2 stalled bodies: {2 * len(latencies)} normal requests all 200, worst "
                f"{worst * 1000:.0f} ms; slow heads cut off within {cut:.1f} s (head timeout {HEAD_TIMEOUT} s), "
                "stalled bodies 408")
    finally:
        for e in socks:
            e[0].close()
        srv.stop()
        rmtree(data)


def main():
    return script_main(
        "slow clients",
        run,
        connections=dict(type=int, default=300),
    )


if __name__ == "__main__":
    sys.exit(main())
