# dbarch developer tasks (GNU make). `make test` is what CI runs.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && \
	{ echo $$p; break; }; done)
LINT_PATHS := $(wildcard src tests bench)
BENCHES := $(sort $(wildcard bench/*.py))

DOCS_STAMP := $(VENV)/.docs-tools
NPM_PREFIX := $(VENV)/npm
NPM_BIN := $(NPM_PREFIX)/node_modules/.bin
# dbml2sql parses the DBML export; mermaid's own parser checks the ERDs (tests only)
NPM_PACKAGES := @dbml/cli@6 mermaid@11
DOCS_APT := graphviz chromium fonts-dejavu-core

.PHONY: install postgres docs-tools test lint demo bench clean

install: $(STAMP) $(DOCS_STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or newer is needed on PATH" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@$(MAKE) --no-print-directory postgres
	touch $@

# System PostgreSQL 15+ if there is one (or apt-get can add it); the pgserver wheel, a
# dependency, bundles PostgreSQL 16 either way.
postgres:
	@if $(BIN)/python -c 'from dbarch.pg.server import system_installs as s; exit(not s())'; then \
		echo "PostgreSQL: system server binaries found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "PostgreSQL: installing the system server with apt-get (best effort)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		{ apt-get update -qq && apt-get install -y -qq postgresql postgresql-contrib >/dev/null; } \
			|| echo "warning: apt-get failed; using the server bundled in pgserver"; \
	else \
		echo "PostgreSQL: using the server bundled in pgserver"; \
	fi

# Graphviz renders the ERDs of `dbarch docs`; Chromium and the npm tools are what the docs
# tests check the output with (they skip, or fail under CI, when a tool is missing).
# Best effort; the stamp is only left when everything is in place, so a later run retries.
$(DOCS_STAMP): Makefile | $(STAMP)
	@$(MAKE) --no-print-directory docs-tools
	@command -v dot >/dev/null && [ -x /usr/bin/chromium ] && [ -x $(NPM_BIN)/dbml2sql ] \
		&& [ -f $(NPM_PREFIX)/node_modules/mermaid/dist/mermaid.min.js ] && touch $@ || true

docs-tools:
	@missing=""; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then \
		echo "docs tools: Graphviz, Chromium and npm found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "docs tools: installing$$missing with apt-get (best effort)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		{ apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; } \
			|| echo "warning: apt-get could not install$$missing"; \
	else \
		echo "docs tools: missing$$missing (diagrams stay Mermaid text; their tests skip)"; \
	fi
	@if [ -x $(NPM_BIN)/dbml2sql ] && [ -f $(NPM_PREFIX)/node_modules/mermaid/dist/mermaid.min.js ]; then \
		echo "docs tools: @dbml/cli and mermaid found in $(NPM_PREFIX)"; \
	elif command -v npm >/dev/null; then \
		echo "docs tools: npm install $(NPM_PACKAGES) into $(NPM_PREFIX)"; \
		npm install --prefix $(NPM_PREFIX) --no-audit --no-fund --loglevel=error $(NPM_PACKAGES) \
			>/dev/null || echo "warning: npm could not install $(NPM_PACKAGES)"; \
	else \
		echo "docs tools: npm not found; the DBML and Mermaid checks skip"; \
	fi

test: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

demo: $(STAMP)
	$(BIN)/dbarch demo

bench: install
	@set -e; for script in $(BENCHES); do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
