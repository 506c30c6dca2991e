# One-word tasks. Every target makes and uses the project's own .venv (never the system Python).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install build run test lint format bench clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## build the graph into the store (ROLEGRAPH_DATA_DIR, default ./var)
build: $(STAMP)
	$(BIN)/rolegraph build

## build the graph if the store is empty, then serve it on http://$(HOST):$(PORT)/
run: $(STAMP)
	$(BIN)/rolegraph build --if-empty
	$(BIN)/rolegraph serve --host $(HOST) --port $(PORT)

## Debian's Chromium for the browser tests (installed when missing and we are root; skipped otherwise)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: the browser tests will be skipped (sudo apt-get install chromium)"; fi; }

## lint, types, the whole test suite on the embedded store, then the store-facing tests on oxigraph serve
test: $(STAMP) chromium lint
	$(BIN)/pytest -q
	ROLEGRAPH_TEST_STORE=remote $(BIN)/pytest -q -m store

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) chromium
	$(BIN)/python bench/service_bench.py
	$(BIN)/python bench/insight_bench.py
	$(BIN)/python bench/scale_bench.py
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/load_bench.py
	$(BIN)/python bench/viz_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts
