# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
CHROMIUM ?= /usr/bin/chromium
TEST_WORKERS ?= auto
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test fuzz lint format install install-dev migrate seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/ocopfair database upgrade

seed: migrate
	$(BIN)/ocopfair seed demo

run: seed
	$(BIN)/ocopfair run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint $(CHROMIUM)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# The API fuzz test of `make test` (tests/integration/test_api_fuzz.py): many more examples per operation, new each run.
FUZZ_EXAMPLES ?= 100
fuzz: install-dev
	OCOPFAIR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) OCOPFAIR_FUZZ_RANDOM=1 $(BIN)/pytest tests/integration/test_api_fuzz.py

# The browser tests (tests/e2e) drive Debian's Chromium, never a downloaded browser: installed when missing.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
