#!/usr/bin/env python3
"""kill -9 under write load loses no acknowledged write (reliability suite).

Writers take in dossiers (`POST /api/v1/dossiers`, each an intake plus its audit entry in
one transaction) as fast as the server answers. Once this round has some new acknowledged
intakes, the server is killed with SIGKILL mid-load and started again on the same database.
Every intake ever answered 201 must be there with its code, codes stay unique, and at the end
`thanthien verify-audit` must pass (the audit chains are intact). SQLite (WAL, synchronous =
FULL) and PostgreSQL (a throw-away cluster on a spare port) — both, `--rounds` each.

    python3 tests/reliability/kill9.py [--engine sqlite|postgres|both] [--rounds 10]
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (Server, Skipped, a_procedure, check, intake_body, login, poll,  # noqa: E402
                    request, rmtree, script_main, tmpdir)

WRITERS = 4


def crash_rounds(binary, data, url, rounds, acks_per_round):
    srv = Server(binary, data, database_url=url).start(ready_timeout=300)
    acked = {}  # id -> code
    lock = threading.Lock()
    token = login(srv.port, "ubnd")
    procedure = a_procedure(srv.port, token)
    lost_total = 0
    try:
        for rnd in range(rounds):
            stop = threading.Event()
            new = [0]

            def writer(w):
                n = 0
                while not stop.is_set():
                    n += 1
                    try:
                        status, _, body = request(srv.port, "POST", "/api/v1/dossiers",
                                                  intake_body(procedure, f"{rnd}-{w}-{n}"), token=token, timeout=10)
                    except OSError:
                        continue  # killed mid-request: not acknowledged
                    if status == 201:
                        with lock:
                            check(body["id"] not in acked, f"id {body['id']} acknowledged twice")
                            acked[body["id"]] = body["code"]
                            new[0] += 1

            threads = [threading.Thread(target=writer, args=(w,), daemon=True) for w in range(WRITERS)]
            for t in threads:
                t.start()
            poll(lambda: new[0] >= acks_per_round, 120, f"round {rnd}: {acks_per_round} intakes acknowledged")
            srv.kill9()  # mid-load: writers have requests in flight
            stop.set()
            for t in threads:
                t.join(timeout=30)
            srv.start(ready_timeout=120)
            # Every acknowledged intake so far, this round's and all earlier ones.
            with lock:
                items = list(acked.items())
            lost = []
            for did, code in items:
                status, _, body = request(srv.port, "GET", f"/api/v1/dossiers/{did}", token=token)
                if status != 200 or body.get("code") != code:
                    lost.append((did, code, status))
            lost_total += len(lost)
            check(not lost, f"round {rnd}: {len(lost)} acknowledged intakes lost after kill -9: {lost[:5]}")
        codes = list(acked.values())
        check(len(set(codes)) == len(codes), "two acknowledged intakes share a code")
    finally:
        srv.stop()
    audit = srv.cli("verify-audit")
    check(audit.returncode == 0 and "intact" in audit.stdout,
          f"verify-audit after {rounds} crashes: {audit.stdout.strip()} {audit.stderr.strip()[-300:]}")
    return len(acked), lost_total


def sqlite_integrity(path):
    """SQLite's own integrity check (b-trees, indexes, free list) on the database, read-only.
    Python's SQLite may be older than 3.44 and unable to parse the triggers'
    `string_agg(… ORDER BY …)`: `writable_schema` makes it skip what it cannot parse (triggers
    hold no data) instead of refusing the file."""
    import sqlite3
    try:
        c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        c.execute("PRAGMA writable_schema = ON")
        row = c.execute("PRAGMA integrity_check").fetchone()
        c.close()
    except sqlite3.DatabaseError as e:
        return f"integrity_check not run (Python's SQLite {sqlite3.sqlite_version}: {e})"
    check(row and row[0] == "ok", f"PRAGMA integrity_check: {row}")
    return "integrity_check ok"


def run(binary, engine, rounds, acks):
    out = []
    if engine in ("sqlite", "both"):
        data = tmpdir("kill9-sqlite")
        try:
            n, lost = crash_rounds(binary, data, f"sqlite://{data}/thanthien.db", rounds, acks)
            integrity = sqlite_integrity(f"{data}/thanthien.db")
            out.append(f"SQLite: {rounds} kills, {n} acknowledged intakes, {lost} lost, audit intact, {integrity}")
        finally:
            rmtree(data)
    if engine in ("postgres", "both"):
        from pgcluster import Cluster
        try:
            cluster = Cluster().init().start()
        except Skipped as e:
            out.append(f"PostgreSQL SKIPPED ({e})")
            cluster = None
        if cluster:
            data = tmpdir("kill9-pg")
            try:
                url = cluster.createdb("thanthien_kill9")
                n, lost = crash_rounds(binary, data, url, rounds, acks)
                out.append(f"PostgreSQL: {rounds} kills, {n} acknowledged intakes, {lost} lost, audit intact")
            finally:
                cluster.destroy()
                rmtree(data)
    return "; ".join(out)


def main():
    return script_main(
        "kill -9 under write load",
        run,
        engine=dict(default="both", choices=["sqlite", "postgres", "both"]),
        rounds=dict(type=int, default=int(os.environ.get("RELIABILITY_KILL_ROUNDS", "10"))),
        acks=dict(type=int, default=20, help="new acknowledged intakes before each kill"),
    )


if __name__ == "__main__":
    sys.exit(main())
