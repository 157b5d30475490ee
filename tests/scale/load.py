"""Two app servers behind HAProxy, files in an S3 bucket: what a province installation promises.

1. Files are shared: evidence uploaded through one server is served by the other, and the blob
   is in the bucket (checked with boto3, an independent S3 client).
2. Revocation crosses servers: a session signed out on one server is refused by the other
   within the session cache's TTL (5 s, auth/session_cache.rs) — measured.
3. Kill one server during a load run (SIGKILL): no request fails except those in flight on it
   when it died; every write acknowledged is stored exactly once, writes being retried with
   their Idempotency-Key as the phone's outbox does.

Standard library HTTP only (urllib), so the figures are the server's, not a client library's.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

PASSWORD = "thanthien-demo"
# A 1×1 PNG: real image bytes, sniffed as image/png by the server.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a3e3e1c40000000049454e44ae426082"
)


def call(method, url, token=None, body=None, headers=None, timeout=30):
    """(status, bytes); status 0 = no HTTP answer (connection refused, reset, timeout)."""
    h = dict(headers or {})
    data = None
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        h["content-type"] = "application/json"
    elif body is not None:
        data = body
    if token:
        h["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception:  # noqa: BLE001 — any transport failure is "no answer"
        return 0, b""


def login(base, user):
    s, b = call("POST", f"{base}/api/v1/auth/login", body={"username": user, "password": PASSWORD})
    assert s == 200, f"login {user} via {base}: {s} {b[:200]!r}"
    return json.loads(b)["access_token"]


def multipart(fields, files=()):
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, ctype, data in files:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def refuses(base):
    """True once nothing accepts connections at `base` (a killed process's threads are gone and
    its listening socket closed: until then the kernel still accepts connections for it)."""
    import socket
    host, port = base.split("//")[1].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
        return False
    except OSError:
        return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--balancer", required=True)
    ap.add_argument("--app", action="append", required=True)
    ap.add_argument("--kill-pid", type=int, required=True)
    ap.add_argument("--s3", required=True)
    ap.add_argument("--bucket", required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=8)
    a = ap.parse_args()
    lb, app0, app1 = a.balancer, a.app[0], a.app[1]
    failures = []

    # --- 1. files through one server, read through the other, present in the bucket -----------
    token0 = login(app0, "thon1")
    s, b = call("GET", f"{app0}/api/v1/tasks/mine?per_page=50", token0)
    assert s == 200, f"tasks/mine: {s}"
    tasks = json.loads(b)["items"]
    assert tasks, "the village head has tasks in the demo"
    task = tasks[0]
    body, ctype = multipart([("text", "Ảnh minh chứng qua máy chủ 0"), ("progress", str(task["progress"]))],
                            [("files", "anh.png", "image/png", PNG)])
    s, b = call("POST", f"{app0}/api/v1/tasks/{task['id']}/reports", token0, body, {"content-type": ctype})
    assert s == 201, f"report with a photo on server 0: {s} {b[:300]!r}"
    attachment = json.loads(b)["attachments"][0]
    token1 = login(app1, "thon1")
    s, got = call("GET", f"{app1}/api/v1/attachments/{attachment['id']}", token1)
    if s != 200 or got != PNG:
        failures.append(f"server 1 could not serve the file server 0 stored: {s}")
    import boto3  # only here: the rest is the standard library

    s3 = boto3.client("s3", endpoint_url=a.s3, region_name="us-east-1",
                      aws_access_key_id="scale-test", aws_secret_access_key="scale-test-secret")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=a.bucket).get("Contents", [])]
    import hashlib

    want = hashlib.sha256(PNG).hexdigest()
    if f"files/{want[:2]}/{want}" not in keys:
        failures.append(f"the blob is not in the bucket (keys: {keys[:5]})")
    else:
        print(f"scale: files shared — stored via server 0, served by server 1, in bucket as files/{want[:2]}/…")

    # --- 2. revocation across servers ---------------------------------------------------------
    t = login(app0, "bdh")
    s, _ = call("GET", f"{app1}/api/v1/auth/me", t)
    assert s == 200, f"a token from server 0 works on server 1: {s}"
    s, _ = call("POST", f"{app0}/api/v1/auth/logout", t)
    assert s == 204, f"logout: {s}"
    t0 = time.monotonic()
    while True:
        s, _ = call("GET", f"{app1}/api/v1/auth/me", t)
        if s == 401:
            break
        if time.monotonic() - t0 > 30:
            failures.append("server 1 still accepts a session signed out on server 0 after 30 s")
            break
        time.sleep(0.05)
    took = time.monotonic() - t0
    print(f"scale: a session signed out on server 0 is refused by server 1 after {took:.2f} s (documented: ≤ 5 s)")
    if took > 5 + 2:  # the cache's TTL, and the time to notice on a busy machine
        failures.append(f"revocation took {took:.2f} s to cross servers (documented ≤ 5 s)")

    # --- 3. load through the balancer, one server killed mid-run -------------------------------
    token = login(lb, "thon1")
    lock = threading.Lock()
    log = []  # (start, end, kind, ok)
    acknowledged = []  # report texts the server acknowledged
    lost_writes = []
    retry_statuses = []
    parked = []  # writes whose key is held by the dead server (in flight when it died)
    stop = time.monotonic() + a.seconds
    kill_at = time.monotonic() + a.seconds / 2
    killed = {}

    def worker(n):
        i = 0
        while time.monotonic() < stop:
            i += 1
            if i % 4 == 0:  # a write: a progress report, retried with its key like the outbox
                key = str(uuid.uuid4())
                text = f"load {n}-{i} {key}"
                body, ctype = multipart([("text", text), ("progress", str(task["progress"]))])
                first = True
                for attempt in range(8):
                    start = time.monotonic()
                    s, answer = call("POST", f"{lb}/api/v1/tasks/{task['id']}/reports", token, body,
                                     {"content-type": ctype, "idempotency-key": key}, timeout=90)
                    end = time.monotonic()
                    if first:
                        with lock:
                            log.append((start, end, "write", s in (200, 201), s, key))
                        first = False
                    elif s not in (200, 201):
                        with lock:
                            retry_statuses.append(s)
                    if s in (200, 201):
                        with lock:
                            acknowledged.append(text)
                        break
                    if s == 409 and b"idempotency_in_progress" in answer:
                        # The key was claimed by the server that died, mid-write: the server
                        # holds it for 5 minutes (docs/offline.md) before a retry may take it
                        # over. The outbox keeps the item and sends it later; so do we.
                        with lock:
                            parked.append((key, text, start))
                        break
                    time.sleep(min(2.0, 0.1 * 2**attempt))
                else:
                    with lock:
                        lost_writes.append(text)
            else:
                start = time.monotonic()
                s, _ = call("GET", f"{lb}/api/v1/tasks/{task['id']}", token)
                end = time.monotonic()
                with lock:
                    log.append((start, end, "read", s == 200, s))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(a.clients)]
    for th in threads:
        th.start()
    while time.monotonic() < kill_at:
        time.sleep(0.05)
    killed["sent"] = time.monotonic()
    os.kill(a.kill_pid, signal.SIGKILL)
    while not refuses(app0):
        time.sleep(0.005)
    killed["gone"] = time.monotonic()
    for th in threads:
        th.join()

    failed = [r for r in log if not r[3]]
    # In flight on the dead server: started before it was gone, still open when it was killed.
    in_flight = [r for r in failed if r[0] <= killed["gone"] and r[1] >= killed["sent"]]
    beyond = [r for r in failed if r not in in_flight]
    reads = sum(1 for r in log if r[2] == "read")
    writes = sum(1 for r in log if r[2] == "write")
    print(f"scale: {len(log)} requests ({reads} reads, {writes} writes) by {a.clients} clients in {a.seconds:.0f} s; "
          f"server 0 killed at {a.seconds / 2:.0f} s; failed: {len(failed)}, all in flight at the kill: "
          f"{len(in_flight)}, beyond: {len(beyond)}")
    for r in failed:
        print(f"scale:   failed {r[2]} HTTP {r[4] or 'no answer'}: started {r[0] - killed['sent']:+.3f} s, "
              f"ended {r[1] - killed['sent']:+.3f} s from the kill (gone at {killed['gone'] - killed['sent']:+.3f} s)")
    if retry_statuses:
        print(f"scale:   retried writes answered: {sorted(set(retry_statuses))}")
    if beyond:
        failures.append(f"{len(beyond)} requests failed that were not in flight on the killed server")
    if lost_writes:
        failures.append(f"{len(lost_writes)} writes never acknowledged after 8 attempts")
    # A parked write was in flight on the killed server (its first attempt failed then).
    first_attempt = {r[5]: r for r in log if r[2] == "write"}
    not_in_flight = [p for p in parked if first_attempt[p[0]] not in in_flight]
    if not_in_flight:
        failures.append(f"{len(not_in_flight)} writes held by a key claim though not in flight at the kill")

    # Every acknowledged write exactly once (read through the surviving server).
    s, b = call("GET", f"{lb}/api/v1/tasks/{task['id']}/reports?per_page=1000", token, timeout=60)
    assert s == 200, f"reports: {s}"
    data = json.loads(b)
    items = data["items"] if isinstance(data, dict) else data
    texts = [r.get("text", "") for r in items]
    dupes = [t for t in acknowledged if texts.count(t) != 1]
    print(f"scale: {len(acknowledged)} writes acknowledged, {len(acknowledged) - len(dupes)} stored exactly once; "
          f"{len(parked)} in flight at the kill and held by its key claim (stored: "
          f"{sum(texts.count(p[1]) for p in parked)}, at most once each)")
    if any(texts.count(p[1]) > 1 for p in parked):
        failures.append("a write in flight at the kill was stored twice")
    if dupes:
        failures.append(f"{len(dupes)} acknowledged writes stored {', '.join(str(texts.count(t)) for t in dupes[:5])} times")

    if failures:
        for f in failures:
            print(f"scale: FAILED — {f}")
        sys.exit(1)
    print("scale: passed")


if __name__ == "__main__":
    main()
