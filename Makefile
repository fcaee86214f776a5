# Leerlijn: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in mail, badges and certificates follow the port, unless BASE_URL is set.
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-sqlite test-postgres fuzz lint translations missing-translations migrate content seed bench clean \
	help smoke-prod lrs

help:
	@echo "make run   - install, migrate, load content, seed demo data, serve on http://$(HOST):$(PORT) with the worker"
	@echo "make fuzz  - the hostile-input lane at length (FUZZ_EXAMPLES=200)"
	@echo "make test  - the whole suite (SQLite, browser lane, and PostgreSQL when TEST_DATABASE_URL is set)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

translations: $(VENV)/.installed
	$(BIN)/python scripts/compile_translations.py

# Lists the UI strings that have no Dutch translation yet.
missing-translations: $(VENV)/.installed
	$(BIN)/python scripts/missing_translations.py

migrate: $(VENV)/.installed
	$(FLASK) db upgrade

# The seed content; a course published from the browser editor keeps that version
# while its files in modules/ stay unchanged.
content: migrate
	$(FLASK) content load --keep-editor-changes

seed: content
	BASE_URL=$(BASE_URL) $(FLASK) demo seed
	$(FLASK) progress summarise
	$(FLASK) maintenance analyse

# The web server and the worker (mail, digests, reminders) together; Ctrl-C stops both.
run: translations seed
	BASE_URL=$(BASE_URL) $(BIN)/python scripts/run_dev.py --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

# The SSO tests run a real OpenID provider (npm oidc-provider, pinned in tests/oidc/package-lock.json).
OIDC_NODE := tests/oidc/node_modules/.package-lock.json
$(OIDC_NODE): tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --silent

# The audit test runs Lighthouse (npm lighthouse, pinned in tests/lighthouse/package-lock.json).
LIGHTHOUSE_NODE := tests/lighthouse/node_modules/.package-lock.json
$(LIGHTHOUSE_NODE): tests/lighthouse/package-lock.json
	cd tests/lighthouse && npm ci --no-audit --no-fund --silent

test-sqlite: $(VENV)/.dev-installed translations lrs $(OIDC_NODE) $(LIGHTHOUSE_NODE)
	LEERLIJN_TEST_DB=sqlite $(BIN)/pytest -q -n 2 --dist worksteal

test-postgres: $(VENV)/.dev-installed translations lrs $(OIDC_NODE)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		LEERLIJN_TEST_DB="$$TEST_DATABASE_URL" $(BIN)/pytest -q -n 2 --dist worksteal -m "not browser"; \
	else echo "TEST_DATABASE_URL is not set: PostgreSQL lane skipped"; fi

test: lint test-sqlite test-postgres

# The LRS (ralph-malph) the xAPI tests start: its own virtualenv, its dependencies clash with ours.
lrs: .lrs-venv/.installed

.lrs-venv/.installed: requirements-lrs.txt
	$(PYTHON) -m venv .lrs-venv
	.lrs-venv/bin/pip install --quiet -r requirements-lrs.txt
	@touch $@

# Follows the README's Production steps with the local PostgreSQL and Redis (a fresh database, dropped after).
smoke-prod: $(VENV)/.installed
	$(BIN)/python scripts/smoke_prod.py

# Hostile input at length: FUZZ_EXAMPLES examples per route (make test runs a few).
FUZZ_EXAMPLES ?= 200
fuzz: $(VENV)/.dev-installed translations
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LEERLIJN_TEST_DB=sqlite $(BIN)/pytest -q -n 2 tests/test_fuzz.py -p no:cacheprovider

# Performance measurement (issue 16), never pass/fail: bench/results/latest.md.
# BENCH_LEARNERS (2000; 10000 is the issue's size), BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL.
bench: $(VENV)/.dev-installed translations
	@command -v wrk >/dev/null || echo "wrk is not installed (apt-get install wrk): GET pages use the slower Python client"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/leerlijn.sqlite
