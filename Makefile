# koldioxidbudget — the two commands a newcomer runs: `make demo` and `make test`.
# Both set up their own virtualenv (.venv) from PyPI; nothing else needs installing by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Official source files: $KOLDIOXIDBUDGET_SOURCES, else ../shared/data when it exists.
KOLDIOXIDBUDGET_SOURCES ?= $(wildcard $(abspath ../shared/data))
KOLDIOXIDBUDGET_EDITIONS ?= $(CURDIR)/build/editions
# the visualiser's built site, served at / by 'koldioxidbudget serve' when the folder exists
KOLDIOXIDBUDGET_SITE ?= $(CURDIR)/build/site
export KOLDIOXIDBUDGET_SOURCES KOLDIOXIDBUDGET_EDITIONS KOLDIOXIDBUDGET_SITE

.PHONY: demo test bench bench-load lint format editions clean browsers

# constraints.txt pins every package to the versions the tests last passed with, so a fresh
# clone next month installs the same libraries (a new release cannot change the verdict)
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

editions: $(VENV)/.installed
	$(BIN)/koldioxidbudget data build

demo: editions
	$(BIN)/koldioxidbudget data list
	$(BIN)/koldioxidbudget budget uppsala
	$(BIN)/koldioxidbudget budget uppsala --preset uppsala-2024-1.5
	$(BIN)/koldioxidbudget report uppsala --out build/reports
	$(BIN)/koldioxidbudget site build
	@echo "Serving on http://127.0.0.1:8000 (API docs: http://127.0.0.1:8000/api/v1/docs); Ctrl-C stops."
	$(BIN)/koldioxidbudget serve --host 127.0.0.1 --port 8000

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/koldioxidbudget/method src/koldioxidbudget/edition.py

format: $(VENV)/.installed
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# the browser tests drive Debian's Chromium (Playwright cannot download browsers here); the
# report's layout test renders its pages with poppler's pdftoppm (tests/render/test_layout.py)
browsers:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)
	@command -v pdftoppm >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq poppler-utils)

# two test processes by default (pytest-xdist); PYTEST_WORKERS=0 runs them in this one
PYTEST_WORKERS ?= 2
test: lint browsers
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=15

bench: editions
	$(BIN)/python -m bench

# the API under load: 200 concurrent clients for 30 s on loopback (bench/load.py)
bench-load: editions
	$(BIN)/python -m bench.load

clean:
	rm -rf build .pytest_cache .hypothesis
