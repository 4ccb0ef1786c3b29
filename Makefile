# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export RISKZONES_HOST ?= 127.0.0.1
export RISKZONES_PORT ?= 8000
export RISKZONES_WORKERS ?= 2

.PHONY: install run test test-dates lint check zones bench bench-reliability

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { echo "make: Python's venv module is missing; on Debian: apt-get install python3-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/gunicorn --config python:service.gunicorn_conf 'service.wsgi:served_app()'

test: install
	$(BIN)/pytest

# The suite again as of other instants (tests/clock.py): tomorrow, in 400 days, and 23:30 in Lima
# on a decree's last day (04:30 UTC, when "today" differs between Lima and UTC). .ci/run runs it.
NOW ?= +1d +400d lapse
test-dates: install
	@for when in $(NOW); do echo "== pytest --now=$$when"; $(BIN)/pytest --now=$$when || exit 1; done

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

check: lint test

# Rebuild geo/data/pe from geo/definitions (byte for byte what is committed, unless a
# definition changed; then `git diff` and `riskzones zones diff` show what it did).
zones: install
	$(BIN)/riskzones zones build

bench: install
	$(BIN)/python bench/run.py

bench-reliability: install
	$(BIN)/python -m bench.reliability
