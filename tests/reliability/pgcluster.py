"""A throw-away PostgreSQL cluster on a spare loopback port, never the machine's own.

initdb/pg_ctl come from the installed server packages (/usr/lib/postgresql/<v>/bin). PostgreSQL
refuses to run as root, so under root the cluster belongs to the `postgres` user (run through
`runuser`). When none of that is available the caller is told why (Skipped).
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile

from common import Skipped, free_port, poll


def _bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        which = shutil.which("pg_ctl")
        if not which:
            raise Skipped("no PostgreSQL server binaries (pg_ctl, initdb) installed")
        return os.path.dirname(which)
    return os.path.dirname(found[-1])


class Cluster:
    def __init__(self):
        self.bindir = _bindir()
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="thanthien-pg-")
        self.user = None
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise Skipped("running as root and there is no `postgres` user to own a test cluster")
            if not shutil.which("runuser"):
                raise Skipped("running as root without `runuser` to start PostgreSQL as `postgres`")
            self.user = "postgres"
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "server.log")

    def _run(self, *args, check=True, timeout=120):
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise Skipped(f"{args[0]} failed: {r.stderr.strip()[:300]}")
        return r

    def init(self):
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync",
                  timeout=300)
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                    "fsync = on\nmax_connections = 60\nshared_buffers = 32MB\n")
        return self

    def start(self):
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "120", "start", timeout=180)
        poll(self.accepting, 60, f"test PostgreSQL on :{self.port} accepting connections", interval=0.1)
        return self

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "120", "stop", check=False, timeout=180)

    def accepting(self):
        r = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(self.port)], capture_output=True)
        return r.returncode == 0

    def url(self, db="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def createdb(self, name):
        r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-v",
                            "ON_ERROR_STOP=1", "-c", f'CREATE DATABASE "{name}"'], capture_output=True, text=True)
        if r.returncode != 0:
            raise Skipped(f"createdb on the test cluster failed: {r.stderr.strip()[:300]}")
        return self.url(name)

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
