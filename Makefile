# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make sandbox   the real bot against a local Discord-compatible server (no token needed)
#   make test      every test
#   make test-fast unit, storage, services, architecture and a few end-to-end flows, not slow ones
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install sandbox test test-fast lint format run sync check bench clean

$(VENV)/.installed: pyproject.toml packages/discord-sandbox/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e packages/discord-sandbox -e ".[dev,postgres,sandbox]"
	@touch $@

install: $(VENV)/.installed

sandbox: install
	$(PY) -m bot sandbox

test: install
	$(PY) -m pytest

# Everything but the slow reliability tests, and of the end-to-end tests only the smoke flows,
# on two workers (pytest-xdist). `make test` stays one process: every e2e test at once.
test-fast: install
	$(PY) -m pytest -n 2 -m "not slow and (smoke or not e2e)" \
		tests/unit tests/storage tests/services tests/architecture tests/e2e

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

run: install
	$(PY) -m bot run

sync: install
	$(PY) -m bot sync

check: install
	$(PY) -m bot check

bench: install
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
