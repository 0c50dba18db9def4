# The two set-up commands of the README, plus the checks developers run before a commit.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= .npq-sandbox/sandbox.db
PORT   ?= 8000
LINTED := sandbox conformance tests conftest.py examples bench

.PHONY: run test check fmt docs clean bench-setup

run: $(VENV)/.installed
	$(BIN)/npq-sandbox serve --db $(DB) --port $(PORT)

test: $(VENV)/.installed-test /usr/bin/chromium
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python -m pytest

check: $(VENV)/.installed-test
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	mkdir -p $(VENV)/typecheck
	ln -sfn ../../sandbox $(VENV)/typecheck/npq_sandbox
	ln -sfn ../../conformance $(VENV)/typecheck/npq_conformance
	$(BIN)/mypy

fmt: $(VENV)/.installed-test
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "npq-sandbox needs Python 3.11 or newer: make $(MAKECMDGOALS) PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# The browser tests drive Debian's chromium (tests/browser); install it when it is missing.
/usr/bin/chromium:
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium

# Rewrite the generated parts of docs/rules.md from the domain's tables and messages.
docs: $(VENV)/.installed
	$(BIN)/python -m npq_sandbox.rulebook

# Install Prism, the peer bench/run.py measures against (see bench/README.md).
bench-setup: $(VENV)/.installed-test
	bench/setup

clean:
	rm -rf $(VENV) .npq-sandbox .pytest_cache .ruff_cache .mypy_cache
