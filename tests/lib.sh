# What the suites' run.sh share (sourced after `set -euo pipefail` and `here`, the suite's folder):
# the repository and the server binary, the suite's venv, and the demo server on a free loopback
# port with the temporary folder and PostgreSQL database of a run, stopped and dropped at exit.
root="$(cd "$here/../.." && pwd)"
bin="${THANTHIEN_BIN:-$root/target/debug/thanthien}"
[[ "$bin" = /* ]] || bin="$root/$bin"
venv="$here/.venv"
pid=""
pg_db=""

# suite_venv PROGRAM: the venv of the suite's requirements.txt (pinned), made again when they
# change or PROGRAM is missing from it.
suite_venv() {
  if [ ! -x "$venv/bin/$1" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/.requirements"
  fi
}

# pg_url NAME: the admin URL `pg_base` with another database name (keeps user, host, port and query).
pg_url() { python3 - "$pg_base" "$1" <<'PY'
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit((p.scheme, p.netloc, "/" + sys.argv[2], p.query, p.fragment)))
PY
}

stop_server() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
cleanup() {
  stop_server
  if [ -n "$pg_db" ]; then psql -q "$pg_base" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
tmp="$(mktemp -d)"
trap cleanup EXIT

# start_demo DATA URL FAILURE: `serve --demo` over the database URL with the data folder DATA
# (its log in DATA/server.log) on a free loopback port; sets `pid` and `base` once /readyz
# answers, else prints FAILURE and the log and exits.
start_demo() {
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  THANTHIEN__SERVER__DATA_DIR="$1" THANTHIEN__LOG__LEVEL=warn \
    "$bin" serve --demo --bind 127.0.0.1 --port "$port" --database-url "$2" >"$1/server.log" 2>&1 &
  pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do curl -fs "$base/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "$base/readyz" >/dev/null || { echo "$3"; cat "$1/server.log"; exit 1; }
}

# suite_engines SKIPPED: `engines`, SQLite and, when `pg_base` is set, PostgreSQL; else says SKIPPED.
suite_engines() {
  engines=(sqlite)
  if [ -n "$pg_base" ]; then engines+=(postgres); else echo "$1"; fi
}

# start_engine SUITE ENGINE: a fresh database on ENGINE (SQLite: a file in the run's folder;
# PostgreSQL: a new database next to `pg_base`) and the demo server over it; sets `data`, `pid`
# and `base`.
start_engine() {
  local url
  data="$tmp/$2"
  mkdir -p "$data"
  if [ "$2" = postgres ]; then
    pg_db="tt_$1_$(date +%s)_$$"
    psql -q "$pg_base" -c "CREATE DATABASE $pg_db" >/dev/null
    url="$(pg_url "$pg_db")"
  else
    url="sqlite://$data/$1.db"
  fi
  start_demo "$data" "$url" "$1: server ($2) did not start"
}

# stop_engine: stops the server and drops the PostgreSQL database of start_engine.
stop_engine() {
  stop_server
  if [ -n "$pg_db" ]; then psql -q "$pg_base" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null; pg_db=""; fi
}
