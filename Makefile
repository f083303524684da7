# 智慧党建平台 — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := dangjian/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 )))

.PHONY: run serve test test-sqlite test-postgres lint browser bench install assets migrate demo clean

$(BIN)/activate: requirements.txt requirements-dev.txt pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(BIN)/activate

install: $(BIN)/activate assets

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.package-lock.json

# --- production static files (issue 10) ---
# Every file a vendored asset refers to is copied too: bootstrap's two sourceMappingURL
# comments name .map files, and the manifest storage of `collectstatic` with DEBUG=0 fails on
# any reference it cannot resolve (bootstrap-icons' fonts/ likewise). The Makefile is a
# prerequisite so that a change of this list re-copies. Checked by core/tests/test_collectstatic.py.
$(VENDOR)/.stamp: node_modules/.package-lock.json Makefile
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/echarts $(VENDOR)/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $@
# --- end production static files ---

assets: $(VENDOR)/.stamp

migrate: install
	$(BIN)/python manage.py migrate --no-input -v0

# Create .venv, install Python and npm dependencies, migrate, load the demo city when the
# database is empty, start the background worker and serve with gunicorn.
# --- a one-minute start (issue 11) ---
# The demo's classifier is trained by the worker once the server is up (demo/tasks.py), and
# `serve --accounts` prints the URL and the demo accounts last, once the site answers.
run: migrate
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/dangjian demo --if-empty
	$(BIN)/dangjian serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --accounts
# --- end a one-minute start ---

lint: install
	$(BIN)/ruff check dangjian $(wildcard bench)
	$(BIN)/ruff format --check dangjian $(wildcard bench)
	$(BIN)/mypy dangjian
	$(BIN)/python manage.py makemigrations --check --dry-run -v1

test-sqlite: install
	env -u DATABASE_URL $(BIN)/python -m pytest -q -m "not browser" -p no:randomly

test-postgres: install
	@if [ -n "$$DATABASE_URL" ]; then $(BIN)/python -m pytest -q -m "not browser"; \
	else echo "DATABASE_URL not set: skipping the PostgreSQL run"; fi

# ruff, mypy, makemigrations --check, the suite on SQLite, then on PostgreSQL when DATABASE_URL is set.
test: lint test-sqlite test-postgres

# Real headless Chromium (Debian's chromium package) driven by Playwright.
browser: install
	env -u DATABASE_URL $(BIN)/python -m pytest -q -m browser

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
