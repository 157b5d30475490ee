#!/usr/bin/env python3
"""Uploads are not held in memory.

Four village heads post a progress report at the same moment, each with 10 photos of 9.9 MB
(396 MB in all), to the real server. The server's resident memory is sampled every 20 ms
from /proc/<pid>/status while they upload and after: its peak (VmHWM) and its RSS afterwards
must stay under 256 MiB, every report must be stored (201) with its ten files, and no
temporary file may remain in <data_dir>/uploads.

The client streams each body from a generator, so the client side stays small too.
Before the fix (parts buffered in Vecs) the same load took RSS to ~546 MB.

    python3 tests/reliability/upload_memory.py [--bin target/debug/thanthien] [--limit-mb 256]
"""

import http.client
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Failure, Server, check, login, mem_mb, request, rmtree, script_main, tmpdir  # noqa: E402

REPORTS, FILES, FILE_BYTES = 4, 10, 9_900_000
CHUNK = 256 * 1024


def body_parts(boundary, seed):
    """The multipart body as a list of (bytes or generator-spec) pieces and its length."""
    head = lambda i: (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "  # noqa: E731
                      f"filename=\"anh-{seed}-{i}.png\"\r\nContent-Type: image/png\r\n\r\n").encode()
    fields = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nẢnh công trình {seed}\r\n"
              f"--{boundary}\r\nContent-Disposition: form-data; name=\"progress\"\r\n\r\n50\r\n").encode()
    tail = f"--{boundary}--\r\n".encode()
    length = len(fields) + len(tail) + sum(len(head(i)) + FILE_BYTES + 2 for i in range(FILES))
    return fields, head, tail, length


def send_report(port, token, task, seed, out):
    boundary = f"ttmem{seed}"
    fields, head, tail, length = body_parts(boundary, seed)
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    c.putrequest("POST", f"/api/v1/tasks/{task}/reports")
    c.putheader("Authorization", f"Bearer {token}")
    c.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    c.putheader("Content-Length", str(length))
    c.endheaders()
    c.send(fields)
    # Each photo differs (seed, index) so none is deduplicated by its hash.
    pattern = bytes((j * 7 + seed) % 256 for j in range(CHUNK))
    for i in range(FILES):
        c.send(head(i))
        c.send(b"\x89PNG\r\n\x1a\n" + bytes([seed, i]) * 4)
        left = FILE_BYTES - 16
        while left > 0:
            n = min(CHUNK, left)
            c.send(pattern[:n])
            left -= n
        c.send(b"\r\n")
    c.send(tail)
    r = c.getresponse()
    data = r.read()
    out[seed] = (r.status, data)
    c.close()


def a_task_for(port, token):
    status, _, body = request(port, "GET", "/api/v1/tasks/mine?per_page=50", token=token)
    check(status == 200, f"tasks/mine: {status} {body}")
    items = body["items"] if isinstance(body, dict) else body
    for t in items:
        if t.get("status") != "cancelled":
            return t["id"]
    raise Failure("the demo village head has no task to report on")


def run(binary, limit_mb):
    data = tmpdir("upload-mem")
    srv = Server(binary, data).start()
    try:
        token = login(srv.port, "thon1")
        task = a_task_for(srv.port, token)
        before = mem_mb(srv.pid, "VmRSS")
        samples, done = [], threading.Event()

        def sample():
            while not done.is_set():
                samples.append(mem_mb(srv.pid, "VmRSS"))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out = {}
        threads = [threading.Thread(target=send_report, args=(srv.port, token, task, s, out)) for s in range(REPORTS)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        done.set()
        sampler.join()
        after, peak = mem_mb(srv.pid, "VmRSS"), mem_mb(srv.pid, "VmHWM")
        figures = (f"{REPORTS} reports × {FILES} × {FILE_BYTES / 1e6:.1f} MB in {elapsed:.1f} s; RSS before "
                   f"{before:.0f} MiB, peak {peak:.0f} MiB (highest sample {max(samples, default=0):.0f}), "
                   f"after {after:.0f} MiB")
        print(figures)
        for seed in range(REPORTS):
            status, data_ = out.get(seed, (None, b""))
            check(status == 201, f"report {seed}: {status} {data_[:300]!r}")
            check(data_.count(f'"size":{FILE_BYTES}'.encode()) == FILES,
                  f"report {seed} does not list its {FILES} files: {data_[:300]!r}")
        check(peak < limit_mb, f"peak RSS {peak:.0f} MiB ≥ {limit_mb} MiB while uploading ({figures})")
        check(after < limit_mb, f"RSS after {after:.0f} MiB ≥ {limit_mb} MiB ({figures})")
        left = os.listdir(os.path.join(data, "uploads")) if os.path.isdir(os.path.join(data, "uploads")) else []
        check(not left, f"temporary upload files left behind: {left}")
        return figures
    finally:
        srv.stop()
        rmtree(data)


def main():
    return script_main(
        "upload memory",
        run,
        limit_mb=dict(type=float, default=256),
    )


if __name__ == "__main__":
    sys.exit(main())
