# The two quick-start commands (`make run`, `make test`) create .venv on first use and reuse it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEVTOOLS := $(VENV)/.installed-test
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test lint typecheck unit bench clean help

help:
	@echo "make run    - simulate the bundled baseline scenario (results/ and a KPI table)"
	@echo "make test   - ruff, mypy and the whole test suite"
	@echo "make bench  - benchmarks: engine ops/s, stdio round trips, HTTP load, the simulator,"
	@echo "              experiments (replications, Dask), fuzz speed (figures: docs/performance.md)"

# `make run` installs the simulator (the `sim` extra); `make test` adds the test tools.
# (`pip install .` alone is the conformance kit: conform and serve, no simulator packages.)
$(RUNTIME): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "returns-sandbox needs Python 3.11 or newer, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[sim]'
	@touch $(RUNTIME)

$(DEVTOOLS): $(RUNTIME)
	$(PIP) -e '.[sim,test]'
	@touch $(DEVTOOLS)

run: $(RUNTIME)
	$(BIN)/returns-sim run

lint: $(DEVTOOLS)
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: $(DEVTOOLS)
	$(BIN)/python -m pytest

test: lint unit

bench: $(DEVTOOLS)
	$(BIN)/python bench/engine_ops.py
	$(BIN)/python bench/stdio_roundtrips.py
	$(BIN)/python bench/sim_baseline.py
	$(BIN)/python bench/http_load.py
	$(BIN)/python bench/experiments.py
	$(BIN)/python bench/fuzz.py

clean:
	rm -rf $(VENV) build dist *.egg-info
