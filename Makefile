# koldioxidbudget — the two commands a newcomer runs: `make demo` and `make test`.
# Both set up their own virtualenv (.venv) from PyPI; nothing else needs installing by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Official source files: $KOLDIOXIDBUDGET_SOURCES, else ../shared/data when it exists.
KOLDIOXIDBUDGET_SOURCES ?= $(wildcard $(abspath ../shared/data))
KOLDIOXIDBUDGET_EDITIONS ?= $(CURDIR)/build/editions
export KOLDIOXIDBUDGET_SOURCES KOLDIOXIDBUDGET_EDITIONS

.PHONY: demo test bench lint format editions clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

editions: $(VENV)/.installed
	$(BIN)/koldioxidbudget data build

demo: editions
	$(BIN)/koldioxidbudget data list
	$(BIN)/koldioxidbudget budget uppsala
	$(BIN)/koldioxidbudget budget uppsala --preset uppsala-2024-1.5

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/koldioxidbudget/method src/koldioxidbudget/edition.py

format: $(VENV)/.installed
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test: lint
	$(BIN)/pytest

bench: editions
	$(BIN)/python -m bench

clean:
	rm -rf build .pytest_cache .hypothesis
