#!/usr/bin/env bash
# Integration with clients an integrator would use (issue 19): a typed Python client
# generated from openapi.yaml by openapi-python-client, and the `georeport` Open311 client
# library, both driving the debug binary started here on a free loopback port — on SQLite,
# and on PostgreSQL when TEST_DATABASE_URL (or CONTRACT_DATABASE_URL) is set.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${THANTHIEN_BIN:-$root/target/debug/thanthien}"
[[ "$bin" = /* ]] || bin="$root/$bin"
venv="$here/.venv"
pg_base="${CONTRACT_DATABASE_URL:-${TEST_DATABASE_URL:-}}"

if [ ! -x "$venv/bin/openapi-python-client" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.requirements"
fi

tmp="$(mktemp -d)"
pid=""
pg_db=""
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
trap cleanup EXIT

# The client, generated from the committed spec as an integrator would.
(cd "$tmp" && "$venv/bin/openapi-python-client" generate --path "$root/openapi.yaml" \
  --config "$here/generator.yaml" --meta none --output-path "$tmp/tt_client" >"$tmp/generate.log" 2>&1) \
  || { cat "$tmp/generate.log"; echo "integration: client generation failed"; exit 1; }
for endpoint in "auth/login" "org/list_units" "onestop/indicators_xlsx" "onestop/indicators_csv" "onestop/national_export" "integration/create_key"; do
  [ -f "$tmp/tt_client/api/$endpoint.py" ] || { cat "$tmp/generate.log"; echo "integration: $endpoint not generated"; exit 1; }
done

engines=(sqlite)
if [ -n "$pg_base" ]; then engines+=(postgres); else echo "integration: PostgreSQL SKIPPED — set TEST_DATABASE_URL"; fi
for engine in "${engines[@]}"; do
  data="$tmp/$engine"
  mkdir -p "$data"
  if [ "$engine" = postgres ]; then
    pg_db="tt_integration_$(date +%s)_$$"
    psql -q "$pg_base" -c "CREATE DATABASE $pg_db" >/dev/null
    url="$(pg_url "$pg_db")"
  else
    url="sqlite://$data/integration.db"
  fi
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  THANTHIEN__SERVER__DATA_DIR="$data" THANTHIEN__LOG__LEVEL=warn \
    "$bin" serve --demo --bind 127.0.0.1 --port "$port" --database-url "$url" >"$data/server.log" 2>&1 &
  pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do curl -fs "$base/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "$base/readyz" >/dev/null || { echo "integration: server ($engine) did not start"; cat "$data/server.log"; exit 1; }
  echo "integration: $engine"
  TT_BASE="$base" TT_CLIENT_DIR="$tmp" "$venv/bin/python" "$here/clients.py" \
    || { echo "integration: FAILED on $engine"; tail -n 50 "$data/server.log"; exit 1; }
  stop_server
  if [ -n "$pg_db" ]; then psql -q "$pg_base" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null; pg_db=""; fi
done
echo "integration: passed"
