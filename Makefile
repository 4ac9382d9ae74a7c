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

.PHONY: install postgres test lint demo bench clean

install: $(STAMP)

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

test: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

demo: install
	$(BIN)/dbarch demo

bench: install
	@set -e; for script in $(BENCHES); do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
