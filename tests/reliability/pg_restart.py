#!/usr/bin/env python3
"""PostgreSQL restarts under load (reliability suite).

The server runs on a throw-away PostgreSQL cluster this script starts on a spare loopback
port (never the machine's own). Readers and writers keep it busy; the cluster is stopped:
every answer during the outage is 503 with `Retry-After` (never a 500), `/readyz` says 503;
the cluster starts again: without restarting the server (same process), `/readyz` is 200 and
writes succeed again — within a bound, polled.

    python3 tests/reliability/pg_restart.py [--outages 2]
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Server, a_procedure, check, intake_body, login, poll, request, rmtree, script_main, tmpdir  # noqa: E402


def run(binary, outages):
    from pgcluster import Cluster
    cluster = Cluster().init().start()
    data = tmpdir("pg-restart")
    srv = None
    try:
        url = cluster.createdb("thanthien_restart")
        srv = Server(binary, data, database_url=url).start(ready_timeout=300)
        token = login(srv.port, "ubnd")
        procedure = a_procedure(srv.port, token)
        pid = srv.pid
        answers, lock, stop = [], threading.Lock(), threading.Event()
        phase = ["up"]

        def load(w):
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    if n % 2:
                        r = request(srv.port, "POST", "/api/v1/dossiers", intake_body(procedure, f"r{w}-{n}"),
                                    token=token, timeout=30)
                    else:
                        r = request(srv.port, "GET", "/api/v1/dossiers?per_page=5", token=token, timeout=30)
                except OSError as e:
                    r = (f"connection error {e}", {}, None)
                with lock:
                    answers.append((phase[0], r[0], r[1].get("retry-after"), r[2]))
                if r[0] != 200 and r[0] != 201:
                    time.sleep(0.05)  # pacing only, not a condition

        threads = [threading.Thread(target=load, args=(w,), daemon=True) for w in range(4)]
        for t in threads:
            t.start()
        summary = []
        for k in range(outages):
            poll(lambda: sum(1 for a in answers if a[1] == 201) >= 5 * (k + 1), 60, "writes before the outage")
            cluster.stop("fast")
            with lock:
                phase[0] = "down"
                mark = len(answers)
            t_down = time.monotonic()
            poll(lambda: request(srv.port, "GET", "/readyz", timeout=10)[0] == 503, 30, "/readyz 503 during the outage")
            poll(lambda: sum(1 for a in answers[mark:] if a[1] == 503) >= 5, 60, "503s during the outage")
            cluster.start()
            with lock:
                phase[0] = "back"
            t_up = time.monotonic()
            poll(lambda: request(srv.port, "GET", "/readyz", timeout=10)[0] == 200, 30,
                 "/readyz 200 after PostgreSQL came back, without restarting the server")
            ready_after = time.monotonic() - t_up
            with lock:
                mark_back = len(answers)
            poll(lambda: any(a[1] == 201 for a in answers[mark_back:]), 30, "a write succeeds after the restart")
            summary.append(f"outage {k + 1}: {time.monotonic() - t_down:.1f} s, ready {ready_after:.1f} s after "
                           f"PostgreSQL was back")
        stop.set()
        for t in threads:
            t.join(timeout=60)
        check(srv.proc.poll() is None and srv.pid == pid, "the server process did not survive the outages")
        bad = [a for a in answers if a[1] not in (200, 201, 503)]
        check(not bad, f"answers other than 200/201/503 under load through the outages: {bad[:5]}")
        no_retry = [a for a in answers if a[1] == 503 and not a[2]]
        check(not no_retry, f"503 without Retry-After: {no_retry[:3]}")
        down = [a for a in answers if a[0] == "down"]
        codes = {a[3].get("code") for a in down if a[1] == 503 and isinstance(a[3], dict)}
        return (f"{len(answers)} requests, {sum(1 for a in answers if a[1] == 503)} × 503 ({', '.join(sorted(codes))}) "
                f"during outages, no 500; " + "; ".join(summary))
    finally:
        if srv:
            srv.stop()
        cluster.destroy()
        rmtree(data)


def main():
    return script_main(
        "PostgreSQL restart under load",
        run,
        outages=dict(type=int, default=2),
    )


if __name__ == "__main__":
    sys.exit(main())
