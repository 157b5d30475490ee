# Thân Thiện — the two commands are `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

CARGO ?= cargo
NPM ?= npm
PORT ?= 8080
DATA_DIR ?= data
DEBUG_BIN := target/debug/thanthien
RELEASE_BIN := target/release/thanthien

.PHONY: run test web web-deps e2e-deps release debug openapi lint lint-and-debug \
        test-web test-e2e test-contract test-compose test-supply-chain test-reliability test-scale test-rust bench lighthouse clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

## ---- the two commands -------------------------------------------------------

run: release ## build the web app and the server, then serve the demo commune on :8080
	@mkdir -p $(DATA_DIR)
	THANTHIEN__SERVER__DATA_DIR=$(DATA_DIR) ./$(RELEASE_BIN) serve --demo --port $(PORT)

test: lint-and-debug test-web test-e2e test-contract test-compose test-supply-chain test-reliability test-scale test-rust test-documents test-integration ## every test suite

## ---- building ----------------------------------------------------------------

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && $(NPM) ci --no-audit --no-fund --loglevel=error

web-deps: web/node_modules/.package-lock.json

tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	cd tests/e2e && $(NPM) ci --no-audit --no-fund --loglevel=error

e2e-deps: tests/e2e/node_modules/.package-lock.json

web: web-deps ## build the SPA into web/dist (and check the JS size budget)
	cd web && $(NPM) run build

release: web ## release binary with the SPA embedded
	$(CARGO) build --release -p thanthien

# One cargo call: building the API tests also builds the server binary (target/debug/thanthien),
# and the library compiles for the binary and for its unit tests side by side, about half the
# time of two calls one after the other on 2 cores.
DEBUG_BUILD = $(CARGO) test -p thanthien --no-run --lib --test api --test architecture
debug: web ## debug binary and test binaries
	$(DEBUG_BUILD)

openapi: ## regenerate openapi.yaml from the code (the web build generates its API types from it)
	$(CARGO) run -q -p thanthien -- export-openapi openapi.yaml
	cd web && $(NPM) run --silent gen:api

## ---- test suites ---------------------------------------------------------------

# Clippy keeps its own target directory, so that it can run beside the debug build without the two
# cargo processes waiting on each other's lock (its artifacts are checks, not builds: nothing to share).
LINT_TARGET_DIR ?= target/lint

lint: ## rustfmt and clippy (warnings are errors; unwrap/expect denied outside tests)
	$(CARGO) fmt --all --check
	CARGO_TARGET_DIR=$(LINT_TARGET_DIR) $(CARGO) clippy -p thanthien --all-targets -- -D warnings

# `make test` lints and builds side by side: either alone leaves a core idle for long stretches
# (one large crate type-checked on one thread, a link), which the other fills. The lint's output
# is printed when both are done; either failing fails this step.
lint-and-debug: web
	@log=$$(mktemp); \
	$(MAKE) --no-print-directory lint >"$$log" 2>&1 & lint_pid=$$!; \
	if $(DEBUG_BUILD); then debug_rc=0; else debug_rc=$$?; fi; \
	if wait $$lint_pid; then lint_rc=0; else lint_rc=$$?; fi; \
	echo "---- lint (rustfmt, clippy), run beside the build ----"; cat "$$log"; rm -f "$$log"; \
	if [ $$lint_rc -ne 0 ]; then echo "lint: FAILED"; fi; \
	[ $$lint_rc -eq 0 ] && [ $$debug_rc -eq 0 ]

test-web: web-deps ## OpenAPI drift, svelte-check (against types generated from openapi.yaml), vitest
	@if [ -x $(DEBUG_BIN) ]; then \
	  ./$(DEBUG_BIN) export-openapi /tmp/thanthien-openapi.yaml >/dev/null 2>&1 \
	  && cmp -s /tmp/thanthien-openapi.yaml openapi.yaml && echo "openapi: openapi.yaml matches the code" \
	  || { echo "openapi.yaml is out of date: run 'make openapi' and commit it"; exit 1; }; \
	else echo "openapi: drift check left to the Rust API tests (no $(DEBUG_BIN) yet)"; fi
	cd web && $(NPM) run --silent check
	cd web && $(NPM) run --silent test

test-e2e: e2e-deps ## browser end-to-end tests in Debian's chromium
	THANTHIEN_BIN=$(DEBUG_BIN) node tests/e2e/run.mjs

test-contract: ## schemathesis fuzzing against the running server
	THANTHIEN_BIN=$(DEBUG_BIN) tests/contract/run.sh

.PHONY: test-documents
test-documents: ## the official report read back by python-docx (Decree 30 layout, numbers = snapshot); PDF/PNG with LibreOffice if present
	THANTHIEN_BIN=$(DEBUG_BIN) tests/documents/run.sh

test-compose: ## docker-compose.yml validates
	@if command -v docker-compose >/dev/null; then \
	  POSTGRES_PASSWORD=validate-only docker-compose -f docker-compose.yml --profile province config -q && echo "compose: docker-compose.yml is valid"; \
	else echo "compose: SKIPPED — docker-compose not installed (.ci/run installs it)"; fi

test-supply-chain: ## known advisories in the shipped JavaScript (npm audit; allow-list in the script)
	tests/supply-chain/run.sh

test-reliability: ## kill -9 under load (both engines), PostgreSQL restart, slow clients, full disk, upload memory
	THANTHIEN_BIN=$(DEBUG_BIN) tests/reliability/run.sh

test-scale: ## two app servers behind HAProxy on PostgreSQL, files in S3 (moto): a kill during load (the API suite runs through the balancer in test-rust)
	THANTHIEN_BIN=$(DEBUG_BIN) tests/scale/run.sh

# The API tests wait on their databases and servers more than they compute: four at once finish
# about a quarter sooner than one per core on 2 cores (README, step 5 of `make test`).
TEST_THREADS ?= 4

# With PostgreSQL and HAProxy both present, the PostgreSQL half of the API suite runs through a
# balancer in front of two app servers: the same PostgreSQL code, and every test also proves that
# nothing depends on staying on one server. Without HAProxy it runs against one server.
test-rust: ## Rust unit and API tests (SQLite; PostgreSQL too when TEST_DATABASE_URL is set, through HAProxy when installed)
	@if [ -z "$${TEST_DATABASE_URL:-}" ]; then echo "API tests on SQLite only (set TEST_DATABASE_URL for PostgreSQL)"; \
	elif command -v haproxy >/dev/null; then echo "API tests on SQLite, and on PostgreSQL through two app servers behind HAProxy"; \
	else echo "API tests on SQLite and PostgreSQL (one server: haproxy not installed)"; fi
	$(if $(shell command -v haproxy),TEST_BALANCER=haproxy )$(CARGO) test -p thanthien --lib --test api --test architecture -- --test-threads=$(TEST_THREADS)

bench: release ## API latency benchmark (login p50, list endpoints p99) on the release build
	python3 bench/api_latency.py --bin $(RELEASE_BIN)
# One-stop indicators on 1,000,000 generated dossiers (SQLite; PostgreSQL too with
# BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres): docs/indicators-benchmark.md
	$(CARGO) run --release -q -p thanthien --example bench_indicators -- --bin $(RELEASE_BIN) $(if $(BENCH_PG),--pg $(BENCH_PG),)

bench/lighthouse/node_modules/.package-lock.json: bench/lighthouse/package-lock.json
	cd bench/lighthouse && $(NPM) ci --no-audit --no-fund --loglevel=error

# Lighthouse's own figures are the release build's; LIGHTHOUSE_BIN=target/debug/thanthien tries the
# tooling without building one (docs/phone.md).
LIGHTHOUSE_BIN ?= $(RELEASE_BIN)
lighthouse: bench/lighthouse/node_modules/.package-lock.json $(if $(filter $(RELEASE_BIN),$(LIGHTHOUSE_BIN)),release,) ## Lighthouse (mobile) on the phone pages: performance and accessibility against the budgets (a benchmark, not in `make test`)
	node bench/lighthouse/run.mjs --bin $(LIGHTHOUSE_BIN)

clean:
	$(CARGO) clean
	rm -rf web/dist web/node_modules tests/e2e/node_modules bench/lighthouse/node_modules tests/contract/.venv tests/scale/.venv tests/documents/.venv tests/integration/.venv

.PHONY: test-integration
test-integration: ## generated Python client (openapi-python-client) and the georeport Open311 library against the server
	THANTHIEN_BIN=$(DEBUG_BIN) tests/integration/run.sh
