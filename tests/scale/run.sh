#!/usr/bin/env bash
# A province installation in miniature: two app servers on one PostgreSQL, evidence files in an
# S3-compatible bucket (moto's server, installed from PyPI into tests/scale/.venv), HAProxy in
# front (Debian's package). Then `load.py` drives it and kills one server mid-run.
#
# Needs TEST_DATABASE_URL (PostgreSQL; skipped with a note otherwise) and haproxy.
# Everything listens on 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${THANTHIEN_BIN:-$root/target/debug/thanthien}"
[[ "$bin" = /* ]] || bin="$root/$bin"
venv="$here/.venv"
pg_base="${TEST_DATABASE_URL:-}"

if [ -z "$pg_base" ]; then echo "scale: SKIPPED — set TEST_DATABASE_URL (two servers need PostgreSQL)"; exit 0; fi
if ! command -v haproxy >/dev/null; then echo "scale: SKIPPED — haproxy not installed (.ci/run installs it)"; exit 0; fi

if [ ! -x "$venv/bin/moto_server" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.requirements"
fi

tmp="$(mktemp -d)"
pids=()
db="tt_scale_$$"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$pg_base" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url, what
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "scale: $2 did not answer at $1"; exit 1
}
db_url="$(python3 - "$pg_base" "$db" <<'PY'
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))
PY
)"
psql "$pg_base" -qc "CREATE DATABASE $db" >/dev/null

# The bucket.
s3_port="$(free_port)"
"$venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" >"$tmp/moto.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$s3_port/moto-api/" "moto (S3)"
"$venv/bin/python" - "$s3_port" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                  aws_access_key_id="scale-test", aws_secret_access_key="scale-test-secret")
s3.create_bucket(Bucket="thanthien-evidence")
PY

# One configuration for every server: the keys that sign tokens and seal identities must be the
# same on all of them (docs/scaling.md), the files go to the bucket.
key() { python3 -c 'import os, base64; print(base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))'; }
cat >"$tmp/thanthien.toml" <<TOML
[auth]
signing_keys = [{ kid = "scale1", secret = "$(key)" }]
[security]
identity_key = "$(key)"
[server]
trusted_proxies = ["127.0.0.1"]
[storage]
backend = "s3"
endpoint = "http://127.0.0.1:$s3_port"
bucket = "thanthien-evidence"
region = "us-east-1"
access_key_id = "scale-test"
TOML
export THANTHIEN__STORAGE__SECRET_ACCESS_KEY=scale-test-secret

ports=()
for i in 0 1; do
  port="$(free_port)"; ports+=("$port")
  mkdir -p "$tmp/data$i"
  THANTHIEN__SERVER__DATA_DIR="$tmp/data$i" "$bin" --config "$tmp/thanthien.toml" serve --demo --port "$port" \
    --database-url "$db_url" >"$tmp/app$i.log" 2>&1 &
  pids+=($!)
  # The first one migrates and seeds; the second starts on the prepared database.
  wait_http "http://127.0.0.1:$port/readyz" "app server $i"
done
app_pids=("${pids[1]}" "${pids[2]}")

lb_port="$(free_port)"
sed -e "s/@LB_PORT@/$lb_port/" -e "s/@APP0@/127.0.0.1:${ports[0]}/" -e "s/@APP1@/127.0.0.1:${ports[1]}/" \
  -e "/@APP2@/d" "$root/deploy/haproxy.cfg" >"$tmp/haproxy.cfg"
haproxy -f "$tmp/haproxy.cfg" -db >"$tmp/haproxy.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$lb_port/healthz" "haproxy"

set +e
"$venv/bin/python" "$here/load.py" \
  --balancer "http://127.0.0.1:$lb_port" \
  --app "http://127.0.0.1:${ports[0]}" --app "http://127.0.0.1:${ports[1]}" \
  --kill-pid "${app_pids[0]}" --s3 "http://127.0.0.1:$s3_port" --bucket thanthien-evidence \
  --seconds "${SCALE_SECONDS:-20}"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "--- app0.log"; tail -n 20 "$tmp/app0.log"; echo "--- app1.log"; tail -n 20 "$tmp/app1.log"
  echo "--- haproxy.log (not 2xx)"; grep -v " 20[01] " "$tmp/haproxy.log" | tail -n 20
fi
exit $rc
