"""Shared pieces of the reliability suite (python3 standard library only).

Every check raises `Failure` with a sentence; `poll` waits for a condition with a generous
bound instead of sleeping a fixed time.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

DEMO_PASSWORD = "thanthien-demo"


class Failure(Exception):
    pass


class Skipped(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def poll(cond, timeout, what, interval=0.05):
    """Calls `cond()` until it returns a true value (returned) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = cond()
            if last:
                return last
        except OSError as e:  # a connection refused while a server starts or stops
            last = e
        time.sleep(interval)
    raise Failure(f"{what}: not within {timeout} s (last: {last!r})")


def mem_mb(pid, field):
    """`VmRSS` / `VmHWM` of a process, in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise Failure(f"no {field} for pid {pid}")


def request(port, method, path, body=None, token=None, headers=None, timeout=30):
    """One request on a fresh connection: (status, headers dict lower-cased, parsed JSON or bytes)."""
    h = dict(headers or {})
    if token:
        h["authorization"] = f"Bearer {token}"
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h.setdefault("content-type", "application/json")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
    finally:
        c.close()
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data
    return r.status, hdrs, parsed


def login(port, username, password=DEMO_PASSWORD):
    status, _, body = request(port, "POST", "/api/v1/auth/login", {"username": username, "password": password})
    check(status == 200, f"sign-in as {username}: {status} {body}")
    return body["access_token"]


def find_bin():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    b = os.environ.get("THANTHIEN_BIN") or os.path.join(root, "target", "debug", "thanthien")
    if not os.access(b, os.X_OK):
        raise Skipped(f"no server binary at {b} (run `make debug` or set THANTHIEN_BIN)")
    return b


class Server:
    """The real server binary on a loopback port, with its own data directory."""

    def __init__(self, binary, data_dir, database_url=None, env=None, demo=True, log=None):
        self.binary, self.data_dir = binary, data_dir
        self.database_url = database_url or f"sqlite://{data_dir}/thanthien.db"
        self.env = dict(os.environ, THANTHIEN__SERVER__DATA_DIR=data_dir, THANTHIEN__LOG__LEVEL="warn")
        self.env.update(env or {})
        self.demo, self.port, self.proc = demo, free_port(), None
        self.log_path = log or os.path.join(tempfile.gettempdir(), f"thanthien-reliability-{self.port}.log")

    def start(self, ready_timeout=120):
        args = [self.binary, "serve", "--port", str(self.port), "--database-url", self.database_url]
        if self.demo:
            args.append("--demo")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, env=self.env, stdout=self.log, stderr=self.log)
        poll(lambda: self.proc.poll() is None and self.ready(), ready_timeout,
             f"server on :{self.port} ready (log {self.log_path})", interval=0.1)
        return self

    def ready(self):
        if self.proc.poll() is not None:
            raise Failure(f"the server exited with {self.proc.returncode} (log {self.log_path})")
        try:
            return request(self.port, "GET", "/readyz", timeout=5)[0] == 200
        except OSError:
            return False

    @property
    def pid(self):
        return self.proc.pid

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        if getattr(self, "log", None):
            self.log.close()

    def cli(self, *args, timeout=120):
        """Runs a `thanthien` subcommand on the same data directory and database."""
        return subprocess.run([self.binary, *args, "--database-url", self.database_url], env=self.env,
                              capture_output=True, text=True, timeout=timeout)


def tmpdir(prefix):
    d = tempfile.mkdtemp(prefix=f"thanthien-{prefix}-")
    os.chmod(d, 0o700)
    return d


def rmtree(d):
    shutil.rmtree(d, ignore_errors=True)


def pg_base_url():
    return os.environ.get("TEST_DATABASE_URL") or os.environ.get("RELIABILITY_DATABASE_URL") or ""


def intake_body(procedure_id, n):
    return {"procedure_id": procedure_id, "channel": 1,
            "applicant": {"name": f"Nguyễn Văn Bền {n}", "phone": "0912 345 678",
                          "id_number": "038090001234", "address": "Thôn 3, xã Bình Lương"}}


def a_procedure(port, token):
    status, _, body = request(port, "GET", "/api/v1/procedures?per_page=50", token=token)
    check(status == 200 and body["items"], f"procedures: {status} {body}")
    return body["items"][0]["id"]


def run_main(name, fn):
    """Runs one check as a script: exit 0 passed, 0 with SKIPPED printed, 1 failed."""
    import sys
    t0 = time.monotonic()
    try:
        summary = fn()
        print(f"reliability {name}: PASSED in {time.monotonic() - t0:.0f} s — {summary}")
        return 0
    except Skipped as e:
        print(f"reliability {name}: SKIPPED — {e}")
        return 0
    except Failure as e:
        print(f"reliability {name}: FAILED — {e}", file=sys.stderr)
        return 1


def script_main(name, run, **options):
    """The command line of one check: `--bin` (by default `find_bin()`) and the check's own options,
    each given as `name=dict(add_argument's keywords)` (`limit_mb` is `--limit-mb`); then
    `run(binary, **their values)` under `run_main`."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    for option, spec in options.items():
        ap.add_argument("--" + option.replace("_", "-"), **spec)
    values = vars(ap.parse_args())
    binary = values.pop("bin") or find_bin()
    return run_main(name, lambda: run(binary, **values))
