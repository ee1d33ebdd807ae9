# Two entry points for a fresh clone: `make run` and `make test`. Both are safe to repeat.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/lfa-qual

test: $(VENV)/.installed
	$(BIN)/ruff format --check lfa_qual tests benchmarks
	$(BIN)/ruff check lfa_qual tests benchmarks
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff format lfa_qual tests benchmarks
	$(BIN)/ruff check --fix lfa_qual tests benchmarks

clean:
	rm -rf $(VENV) lfa-qual.db lfa-qual.db-wal lfa-qual.db-shm
