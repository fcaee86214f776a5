# Leerlijn: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in mail, badges and certificates follow the port, unless BASE_URL is set.
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-sqlite test-postgres lint translations missing-translations migrate content seed bench clean help \
	smoke-prod

help:
	@echo "make run   - install, migrate, load content, seed demo data, serve on http://$(HOST):$(PORT) with the worker"
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

content: migrate
	$(FLASK) content load

seed: content
	BASE_URL=$(BASE_URL) $(FLASK) demo seed

# The web server and the worker (mail, digests, reminders) together; Ctrl-C stops both.
run: translations seed
	BASE_URL=$(BASE_URL) $(BIN)/python scripts/run_dev.py --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

# The SSO tests run a real OpenID provider (npm oidc-provider, pinned in tests/oidc/package-lock.json).
OIDC_NODE := tests/oidc/node_modules/.package-lock.json
$(OIDC_NODE): tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --silent

test-sqlite: $(VENV)/.dev-installed translations $(OIDC_NODE)
	LEERLIJN_TEST_DB=sqlite $(BIN)/pytest -q -n 2 --dist loadfile

test-postgres: $(VENV)/.dev-installed translations $(OIDC_NODE)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		LEERLIJN_TEST_DB="$$TEST_DATABASE_URL" $(BIN)/pytest -q -n 2 --dist loadfile -m "not browser"; \
	else echo "TEST_DATABASE_URL is not set: PostgreSQL lane skipped"; fi

test: lint test-sqlite test-postgres

# Follows the README's Production steps with the local PostgreSQL and Redis (a fresh database, dropped after).
smoke-prod: $(VENV)/.installed
	$(BIN)/python scripts/smoke_prod.py

bench: $(VENV)/.dev-installed translations
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) instance/leerlijn.sqlite
