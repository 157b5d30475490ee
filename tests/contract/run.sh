#!/usr/bin/env bash
# Contract fuzzing: schemathesis generates requests from the served OpenAPI document and
# checks that the server never answers 5xx and that responses match the schema.
#
# It runs on BOTH engines — SQLite, and PostgreSQL on a fresh database it creates and drops
# (from CONTRACT_DATABASE_URL, else TEST_DATABASE_URL; skipped with a note when neither is
# set) — and as several roles (CONTRACT_ROLES, default: admin, board `bdh`, one-stop `ubnd`,
# village `thon1`): a NUL in a task filter gave 500 only on PostgreSQL and only as the board.
# Bounded: a fixed number of examples per operation, and CONTRACT_MAX_SECONDS (default 400) of
# fuzzing shared out between the runs (50 s each: the coverage phase takes about 20 s of a run and
# the fuzzing phase about 30 s for all 248 operations on a quiet machine; the stateful phase, which
# had a few seconds at 60 s a run, gets what is left, often nothing).
# The two engines run side by side, so the suite takes about half of that on 2 cores, under
# 4 minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
# The admin last: its fuzzing may require two-factor sign-in of admin and board accounts or
# disable users, which must not starve the other roles' runs.
roles=(${CONTRACT_ROLES:-thon1 ubnd bdh admin})
pg_base="${CONTRACT_DATABASE_URL:-${TEST_DATABASE_URL:-}}"

suite_venv st

suite_engines "contract: PostgreSQL SKIPPED — set CONTRACT_DATABASE_URL or TEST_DATABASE_URL"
runs=$(( ${#engines[@]} * ${#roles[@]} ))
budget="${CONTRACT_MAX_SECONDS:-400}"
per_run=$(( budget / runs ))
[ "$per_run" -ge 20 ] || per_run=20

# fuzz_engine ENGINE: every role's run against a fresh demo server over ENGINE; fails when one
# of them found something or the server panicked.
fuzz_engine() {
  local engine=$1 role token status failed=0
  trap stop_engine EXIT
  start_engine contract "$engine"

  # Every role signs in before any fuzzing (access tokens last 10 minutes, longer than one
  # engine's runs), so what one role's fuzzing changes cannot lock the next one out.
  declare -A tokens=()
  for role in "${roles[@]}"; do
    tokens[$role]="$(curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
      -d "{\"username\":\"$role\",\"password\":\"thanthien-demo\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  done
  for role in "${roles[@]}"; do
    token="${tokens[$role]}"
    echo "contract: $engine as $role (${per_run} s)"
    # Logout and password change would end the fuzzer's own session; they are covered by the
    # API suite instead. One worker: with two, hypothesis parses lambda sources with
    # `ast.parse` on two threads at once, and CPython 3.11 before 3.11.8 keeps the AST
    # constructor's recursion depth in shared state, so the tool itself crashed now and then
    # ("AST constructor recursion depth mismatch") — a crash of the fuzzer, not a finding.
    set +e
    "$venv/bin/st" run "$base/api/v1/openapi.json" \
      --checks not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance \
      --header "Authorization: Bearer $token" \
      --exclude-path /api/v1/auth/logout --exclude-path /api/v1/auth/password \
      --max-examples "${CONTRACT_EXAMPLES:-20}" --max-time "$per_run" \
      --seed 2026 --workers 1 --no-color --warnings off
    status=$?
    set -e
    if [ $status -ne 0 ]; then echo "contract: FAILED on $engine as $role (schemathesis exit $status)"; failed=1; fi
  done
  stop_engine
  if grep -q "panicked" "$data/server.log"; then
    echo "contract: the server panicked ($engine):"; grep -A5 panicked "$data/server.log"; failed=1
  fi
  return $failed
}

# The engines are fuzzed side by side, each in its own process with its own server and database:
# one run keeps about one core busy (the fuzzer and the server take turns). On 2 cores, side by
# side took 88 s where one after the other took 173 s, for 85% of the test cases (19,605 and
# 22,991 with CONTRACT_MAX_SECONDS=160). The budget was 480 s; CI's whole run neared its 30
# minutes, and 400 s still gives each run its coverage and fuzzing phases. Each
# engine's report is printed whole when both are done.
failed=0
started=$SECONDS
declare -A fuzzing=()
for engine in "${engines[@]}"; do
  ( fuzz_engine "$engine" ) >"$tmp/contract-$engine.log" 2>&1 &
  fuzzing[$engine]=$!
done
for engine in "${engines[@]}"; do
  wait "${fuzzing[$engine]}" || failed=1
  cat "$tmp/contract-$engine.log"
done
echo "contract: ${runs} runs (${engines[*]} × ${roles[*]}) in $(( SECONDS - started )) s"
if [ $failed -eq 0 ]; then echo "contract: schemathesis found no failures"; else echo "contract: FAILED"; fi
exit $failed
