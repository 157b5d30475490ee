#!/usr/bin/env python3
"""Democracy lists benchmark: starts the server (release build) with the demo commune on SQLite
(default, the embedded engine) or on a fresh PostgreSQL database (--pg-url; created there and
dropped afterwards), records one disclosure (asking Thôn 1 and 2 to relay) and one awareness
activity through the API, copies each to 20,000 rows in the database (dates spread over two
years, titles numbered, village links copied; SQLite through the sqlite3 shell with
`writable_schema` on, since the system's sqlite3 cannot parse a trigger of another table that
the bundled SQLite can), then measures at 32 concurrent clients (the compiled closed-loop
client bench/load.rs, one kept-alive connection each):
  - GET /disclosures (50 rows): no filter, a search, a village, a year, not yet relayed
  - GET /activities (50 rows): no filter, a search, a village, a date range
and prints p50 / p90 / p99 per list. The budget is p99 <= 15 ms at 32 clients on 20k rows.
--keep leaves the server stopped and the database in place (its URL printed) for EXPLAIN.
Bounded: a fixed number of requests to 127.0.0.1; the server is stopped at the end."""

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import call, free_port, login, pct, serve_demo, wait_ready  # noqa: E402
from plans import build_load_client  # noqa: E402


class Db:
    """Runs SQL on the benchmark's database, in that engine's dialect."""

    def __init__(self, url):
        self.url = url
        self.sqlite = url.startswith("sqlite://")

    def run(self, sql):
        if self.sqlite:
            cmd = ["sqlite3", "-cmd", "PRAGMA writable_schema=ON", "-cmd", ".timeout 60000",
                   self.url[len("sqlite://"):], sql]
        else:
            cmd = ["psql", self.url, "-qAtc", sql]
        return subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout.decode()

    def columns(self, table, skip):
        if self.sqlite:
            out = self.run(f"SELECT name FROM pragma_table_info('{table}') WHERE name <> '{skip}' ORDER BY cid")
        else:
            out = self.run(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' "
                           f"AND column_name <> '{skip}' ORDER BY ordinal_position")
        return [c for c in out.split() if c]

    def days_before(self, col, n):
        return f"date(t.{col}, '-' || ({n} % 730) || ' days')" if self.sqlite else f"t.{col} - ({n} % 730)"

    def series(self, n):
        """A `FROM` item `s(n)` counting 1..n."""
        if self.sqlite:
            return f"(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {n}) SELECT n FROM c) s"
        return f"generate_series(1, {n}) s(n)"

    def analyze(self):
        self.run("ANALYZE" if self.sqlite else "VACUUM ANALYZE")


def copy_rows(db, table, template, n, date_cols, text_cols, link_table, link_col):
    """Copies row `template` of `table` n-1 times (dates shifted back by 0..729 days, texts
    numbered) and its rows of `link_table`."""
    cols = db.columns(table, "id")
    exprs = []
    for c in cols:
        if c in date_cols:
            exprs.append(db.days_before(c, "s.n"))
        elif c in text_cols:
            exprs.append(f"t.{c} || ' ' || s.n")
        else:
            exprs.append(f"t.{c}")
    db.run(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} "
           f"FROM {table} t, {db.series(n - 1)} WHERE t.id = {template}")
    other = db.columns(link_table, link_col)
    db.run(f"INSERT INTO {link_table} ({link_col}, {', '.join(other)}) "
           f"SELECT x.id, {', '.join('l.' + c for c in other)} FROM {table} x "
           f"JOIN {link_table} l ON l.{link_col} = {template} WHERE x.id > {template}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/thanthien")
    ap.add_argument("--pg-url", help="PostgreSQL server URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): "
                    "a fresh database is created there and dropped afterwards; SQLite when absent")
    ap.add_argument("--keep", action="store_true", help="keep the database (and print its URL) for EXPLAIN")
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=100, help="requests per client and list")
    ap.add_argument("--seed", type=int, default=16)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="thanthien-bench-democracy-")
    port = free_port()
    dbname = f"tt_bench_democracy_{os.getpid()}"
    if a.pg_url:
        subprocess.run(["psql", a.pg_url, "-qc", f"CREATE DATABASE {dbname}"], check=True)
        path, sep, query = a.pg_url.partition("?")
        url = f"{path.rpartition('/')[0]}/{dbname}{sep}{query}"
    else:
        url = f"sqlite://{tmp}/bench.db"
    db = Db(url)
    env = dict(os.environ, THANTHIEN__SERVER__DATA_DIR=tmp, THANTHIEN__LOG__LEVEL="warn")
    srv = serve_demo(a.bin, port, url, env)
    try:
        wait_ready(port, 600)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        auth = login(conn, "bdh")
        _, _, data = call(conn, "GET", "/api/v1/units?per_page=200", headers=auth)
        units = {u["code"]: u["id"] for u in json.loads(data)["items"]}
        _, _, data = call(conn, "GET", "/api/v1/disclosure-items", headers=auth)
        item = next(i["id"] for i in json.loads(data) if i["code"] == "D11-05")
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))
        _, st, data = call(conn, "POST", "/api/v1/disclosures", {
            "item_id": item, "title": "Thông báo chủ trương đầu tư đường liên thôn", "channels": ["office", "village_meeting"],
            "posted_from": today, "posted_to": today, "village_ids": [units["T1"], units["T2"]]}, headers=auth)
        assert st == 201, data
        disclosure = json.loads(data)["disclosure"]["id"]
        _, st, data = call(conn, "POST", "/api/v1/activities", {
            "kind": "awareness", "title": "Tuyên truyền Luật Thực hiện dân chủ ở cơ sở", "held_on": today,
            "place": "Nhà văn hóa thôn 1", "channel": "meeting", "participants": 60,
            "unit_ids": [units["HPN"], units["T1"]]}, headers=auth)
        assert st == 201, data
        activity = json.loads(data)["id"]
        t0 = time.time()
        copy_rows(db, "disclosures", disclosure, a.rows, {"posted_from", "posted_to"}, {"title", "title_search"},
                  "disclosure_villages", "disclosure_id")
        copy_rows(db, "activities", activity, a.rows, {"held_on"}, {"title", "title_search"},
                  "activity_units", "activity_id")
        db.analyze()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # the kept-alive one timed out
        counts = {}
        for path in ["/api/v1/disclosures?per_page=1", "/api/v1/activities?per_page=1"]:
            _, _, data = call(conn, "GET", path, headers=auth)
            counts[path.split("?")[0]] = json.loads(data)["total"]
        gen = time.time() - t0
        year = int(today[:4]) - 1
        t1, t2 = units["T1"], units["T2"]
        queries = {
            "disclosures": ["/api/v1/disclosures?per_page=50", "/api/v1/disclosures?per_page=50&q=duong%20lien%20thon",
                            f"/api/v1/disclosures?per_page=50&village_id={t1}", f"/api/v1/disclosures?per_page=50&year={year}",
                            f"/api/v1/disclosures?per_page=50&village_id={t2}&unrelayed=true"],
            "activities": ["/api/v1/activities?per_page=50", "/api/v1/activities?per_page=50&q=tuyen%20truyen",
                           f"/api/v1/activities?per_page=50&unit_id={t1}",
                           f"/api/v1/activities?per_page=50&from={year}-03-01&to={year}-06-30"],
        }
        load_bin = build_load_client(tmp)
        if not load_bin:
            sys.exit("rustc not found: the compiled client bench/load.rs is needed")
        token = auth["authorization"].split(" ", 1)[1]
        rng = random.Random(a.seed)

        def run(n):
            lines = [f"{k} {rng.choice(queries[k])}" for _ in range(n) for k in ("disclosures", "activities")]
            r = subprocess.run([load_bin, str(port), token, str(a.clients)], input="\n".join(lines).encode(),
                               stdout=subprocess.PIPE, check=True)
            out = {"disclosures": [], "activities": []}
            errors = []
            for line in r.stdout.decode().splitlines():
                kind, status, ms = line.split()
                out[kind].append(float(ms))
                if status != "200":
                    errors.append((kind, status))
            return out, errors

        run(a.clients * 5)  # warm-up
        load = os.getloadavg()[0]
        t0 = time.time()
        results, errors = run(a.clients * a.requests)
        secs = time.time() - t0
        n = sum(len(v) for v in results.values())
        print(f"engine: {'sqlite' if db.sqlite else 'postgresql'}   cores: {os.cpu_count()}   rows: {counts}   copied in {gen:.1f} s")
        print(f"load average before measuring: {load:.2f}")
        print(f"{a.clients} concurrent clients, {n} requests in {secs:.1f} s ({n / secs:.0f} req/s), errors: {len(errors)}")
        for kind in ("disclosures", "activities"):
            v = results[kind]
            print(f"  GET /{kind:12s} (50 rows, filters) n={len(v):5d}  p50={statistics.median(v):6.2f} ms  "
                  f"p90={pct(v, 90):6.2f} ms  p99={pct(v, 99):6.2f} ms  max={max(v):6.2f} ms")
        if errors:
            print("first errors:", errors[:5])
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.kill()
        if a.keep:
            print(f"kept: {url}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
            if a.pg_url:
                subprocess.run(["psql", a.pg_url, "-qc", f"DROP DATABASE IF EXISTS {dbname}"], check=False)


if __name__ == "__main__":
    main()
