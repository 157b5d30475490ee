#!/usr/bin/env bash
# Reliability suite: the real server binary under crashes, a PostgreSQL restart, slow
# clients, a full disk and concurrent uploads. Bounded to a few minutes for `make test`;
# RELIABILITY_LONG=1 runs the longer mode for a benchmark session (more kills, more outages).
#
#   THANTHIEN_BIN=target/debug/thanthien tests/reliability/run.sh [script.py …]
#
# Each script prints PASSED (with its figures), SKIPPED (with the reason) or FAILED; the run
# fails if any failed. Python 3 standard library only.
set -euo pipefail
cd "$(dirname "$0")/../.."
export THANTHIEN_BIN=${THANTHIEN_BIN:-target/debug/thanthien}
export PYTHONDONTWRITEBYTECODE=1

if [ "${RELIABILITY_LONG:-0}" = 1 ]; then
  KILL_ARGS=(--rounds 50); PG_ARGS=(--outages 5)
else
  KILL_ARGS=(--rounds 10); PG_ARGS=(--outages 2)
fi

declare -A ARGS=(
  [kill9.py]="${KILL_ARGS[*]}"
  [pg_restart.py]="${PG_ARGS[*]}"
  [slow_clients.py]=""
  [full_disk.py]=""
  [upload_memory.py]=""
)
SCRIPTS=("$@")
[ ${#SCRIPTS[@]} -gt 0 ] || SCRIPTS=(kill9.py pg_restart.py slow_clients.py full_disk.py upload_memory.py)

failed=0
start=$SECONDS
for s in "${SCRIPTS[@]}"; do
  # shellcheck disable=SC2086
  timeout --kill-after=10 "${RELIABILITY_SCRIPT_TIMEOUT:-600}" python3 "tests/reliability/$s" ${ARGS[$s]:-} \
    || { echo "reliability $s: FAILED (exit $?)"; failed=1; }
done
echo "reliability: $(( SECONDS - start )) s"
exit $failed
