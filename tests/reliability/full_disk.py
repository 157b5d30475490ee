#!/usr/bin/env python3
"""A full disk (reliability suite).

The data directory (SQLite database, evidence, upload spool) lives on a small tmpfs the
script mounts (root only; otherwise SKIPPED with the reason). With the disk filled to a few
MB, a report with a 6 MB photo runs out of space while the photo streams in: the answer is
507 `storage_full`, no temporary or partial file remains (spool and `files/`), `/readyz`
says 503 `storage_full`; once space is freed, readiness and the same upload succeed.

    python3 tests/reliability/full_disk.py
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Failure, Server, Skipped, check, login, poll, request, rmtree, script_main, tmpdir  # noqa: E402
from upload_memory import a_task_for  # noqa: E402

SIZE_MB = 96


def files_under(path):
    out = []
    for root, _, names in os.walk(path):
        out += [os.path.join(root, n) for n in names]
    return sorted(out)


def report(port, token, task, photo):
    boundary = "ttdisk"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nẢnh\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"progress\"\r\n\r\n20\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n"
            "Content-Type: image/png\r\n\r\n").encode() + photo + f"\r\n--{boundary}--\r\n".encode()
    return request(port, "POST", f"/api/v1/tasks/{task}/reports", body, token=token,
                   headers={"content-type": f"multipart/form-data; boundary={boundary}"}, timeout=120)


def fill(path, leave_bytes):
    """Writes a filler file until only about `leave_bytes` remain free."""
    st = os.statvfs(os.path.dirname(path))
    free = st.f_bavail * st.f_frsize
    n = max(0, free - leave_bytes)
    with open(path, "wb") as f:
        chunk = b"\0" * (1 << 20)
        while n > 0:
            f.write(chunk[:min(n, len(chunk))])
            n -= min(n, len(chunk))
        f.flush()
        os.fsync(f.fileno())


def run(binary):
    if os.geteuid() != 0:
        raise Skipped("mounting a small tmpfs needs root; the 507 mapping is covered by the API tests")
    mnt = tmpdir("disk")
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m,mode=0700", "tmpfs", mnt],
                       capture_output=True, text=True)
    if m.returncode != 0:
        rmtree(mnt)
        raise Skipped(f"cannot mount a tmpfs here: {m.stderr.strip()}")
    srv = None
    try:
        data = os.path.join(mnt, "data")
        srv = Server(binary, data).start()
        token = login(srv.port, "thon1")
        task = a_task_for(srv.port, token)
        photo = b"\x89PNG\r\n\x1a\n" + bytes(i % 251 for i in range(6_000_000))
        before = [p for p in files_under(os.path.join(data, "files"))]
        filler = os.path.join(mnt, "filler")
        fill(filler, 2 << 20)  # ~2 MB left: the 6 MB photo cannot fit
        status, hdrs, body = report(srv.port, token, task, photo)
        check(status == 507 and isinstance(body, dict) and body.get("code") == "storage_full",
              f"an upload on a full disk answered {status} {body}")
        left = files_under(os.path.join(data, "uploads"))
        check(not left, f"temporary upload files left on a full disk: {left}")
        check(files_under(os.path.join(data, "files")) == before, "a partial evidence file was stored")
        # Nothing left at all: readiness says so.
        with open(filler, "ab", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
            except OSError:
                pass
        st, _, rb = request(srv.port, "GET", "/readyz")
        check(st == 503 and isinstance(rb, dict) and rb.get("status") == "storage_full",
              f"/readyz on a full disk: {st} {rb}")
        os.remove(filler)
        poll(lambda: request(srv.port, "GET", "/readyz")[0] == 200, 30, "/readyz 200 once space is freed")
        status, _, body = report(srv.port, token, task, photo)
        check(status == 201, f"the same upload after freeing space: {status} {body}")
        check(not files_under(os.path.join(data, "uploads")), "a temporary file remains after a stored upload")
        return (f"{SIZE_MB} MiB tmpfs filled to ~2 MB free: a 6 MB photo → 507 storage_full, no partial file, "
                "/readyz 503 storage_full; space freed → 200 and 201")
    finally:
        if srv:
            srv.stop()
        u = subprocess.run(["umount", mnt], capture_output=True, text=True)
        if u.returncode != 0:
            raise Failure(f"umount {mnt}: {u.stderr.strip()}")
        rmtree(mnt)


def main():
    return script_main("full disk", run)


if __name__ == "__main__":
    sys.exit(main())
