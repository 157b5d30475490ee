#!/usr/bin/env bash
# Supply chain: known advisories in the JavaScript the product ships (the web app) and in the
# e2e runner, from the npm registry's audit service. A finding fails the run; the allow-list
# below names each advisory that does not apply, with the reason.
#
# Rust crates: `cargo audit` (crates.io: `cargo install cargo-audit --locked`) against the
# RustSec advisory database, read from a local copy only (`--no-fetch`): the database lives in a
# GitHub repository, and this machine reaches only the package registries. When cargo-audit or
# the local database is missing the step says SKIPPED with the reason and does not fail; a
# finding fails the run unless its RUSTSEC id is in RUST_ALLOW below. See docs/hardening.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Advisory ids (GHSA-…) that do not apply, one per line with the reason after a '#'.
ALLOW=(
)

# RustSec advisory ids (RUSTSEC-…) that do not apply, one per line with the reason after a '#'.
RUST_ALLOW=(
)

# Where a copy of https://github.com/rustsec/advisory-db is (cargo audit's default place).
ADVISORY_DB=${CARGO_AUDIT_DB:-${CARGO_HOME:-$HOME/.cargo}/advisory-db}

rust_audit() {
  if ! cargo audit --version >/dev/null 2>&1; then
    echo "supply chain: SKIPPED Rust crates — cargo-audit is not installed (cargo install cargo-audit --locked)"
    return 0
  fi
  if [ ! -d "$ADVISORY_DB/crates" ]; then
    echo "supply chain: SKIPPED Rust crates — no advisory database at $ADVISORY_DB (it is a GitHub repository:"
    echo "  git clone https://github.com/rustsec/advisory-db $ADVISORY_DB where GitHub is reachable, or copy one"
    echo "  there and set CARGO_AUDIT_DB; its age is not checked here — refresh it yourself)"
    return 0
  fi
  local args=(audit --no-fetch --stale --db "$ADVISORY_DB" --file Cargo.lock)
  for id in "${RUST_ALLOW[@]+"${RUST_ALLOW[@]}"}"; do args+=(--ignore "$id"); done
  local status=0
  cargo "${args[@]}" || status=$?
  case $status in
    0) echo "supply chain: Rust crates — no known advisory in Cargo.lock (database $ADVISORY_DB)" ;;
    *) echo "supply chain: cargo audit failed (exit $status): advisories in Cargo.lock or an unreadable database, see above"
       return 1 ;;
  esac
}

audit() {
  local dir=$1
  local out status=0
  out=$(cd "$dir" && npm audit --omit=dev --json 2>/dev/null) || status=$?
  if [ -z "$out" ] || ! node -e 'JSON.parse(process.argv[1])' "$out" >/dev/null 2>&1; then
    echo "supply chain: SKIPPED $dir — the npm registry's audit service did not answer"
    return 0
  fi
  local found
  found=$(node -e '
    const r = JSON.parse(process.argv[1]);
    const allow = new Set(process.argv.slice(2));
    if (r.error) { console.log("ERROR " + (r.error.summary || r.error.code)); process.exit(0); }
    const hits = [];
    for (const [name, v] of Object.entries(r.vulnerabilities || {})) {
      for (const via of v.via || []) {
        if (typeof via === "object") {
          const id = (via.url || "").split("/").pop();
          if (!allow.has(id)) hits.push(`${name}: ${via.title} (${via.severity}) ${via.url}`);
        }
      }
    }
    console.log(hits.join("\n"));
  ' "$out" "${ALLOW[@]+"${ALLOW[@]}"}")
  if [[ "$found" == ERROR* ]]; then
    echo "supply chain: SKIPPED $dir — ${found#ERROR }"
  elif [ -n "$found" ]; then
    echo "supply chain: advisories in $dir (production dependencies):"
    echo "$found"
    return 1
  else
    echo "supply chain: $dir — no known advisory in production dependencies"
  fi
}

failed=0
audit web || failed=1
audit tests/e2e || failed=1
rust_audit || failed=1
exit $failed
