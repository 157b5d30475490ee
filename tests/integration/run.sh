#!/usr/bin/env bash
# Integration with clients an integrator would use: a typed Python client
# generated from openapi.yaml by openapi-python-client, and the `georeport` Open311 client
# library, both driving the debug binary started here on a free loopback port — on SQLite,
# and on PostgreSQL when TEST_DATABASE_URL (or CONTRACT_DATABASE_URL) is set.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
pg_base="${CONTRACT_DATABASE_URL:-${TEST_DATABASE_URL:-}}"

suite_venv openapi-python-client

# The client, generated from the committed spec as an integrator would.
(cd "$tmp" && "$venv/bin/openapi-python-client" generate --path "$root/openapi.yaml" \
  --config "$here/generator.yaml" --meta none --output-path "$tmp/tt_client" >"$tmp/generate.log" 2>&1) \
  || { cat "$tmp/generate.log"; echo "integration: client generation failed"; exit 1; }
for endpoint in "auth/login" "org/list_units" "onestop/indicators_xlsx" "onestop/indicators_csv" "onestop/national_export" "integration/create_key"; do
  [ -f "$tmp/tt_client/api/$endpoint.py" ] || { cat "$tmp/generate.log"; echo "integration: $endpoint not generated"; exit 1; }
done

suite_engines "integration: PostgreSQL SKIPPED — set TEST_DATABASE_URL"
for engine in "${engines[@]}"; do
  start_engine integration "$engine"
  echo "integration: $engine"
  TT_BASE="$base" TT_CLIENT_DIR="$tmp" TT_SPEC="$root/openapi.yaml" "$venv/bin/python" "$here/clients.py" \
    || { echo "integration: FAILED on $engine"; tail -n 50 "$data/server.log"; exit 1; }
  stop_engine
done
echo "integration: passed"
