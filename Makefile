# Two commands do all set-up on a fresh machine (Python 3.11+ with venv):
#   make run    install everything, ingest the sample library, open the chat page
#   make test   install everything a test run needs, then run the test suite
# Everything installs from the package registries; nothing downloads at run time.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DATA_DIR ?= $(CURDIR)/.lentera
# The committed eval baselines are made in a library of their own holding exactly corpus/.
BASELINE_DATA_DIR ?= $(CURDIR)/.lentera-baselines
BASELINE_RUNS := $(BASELINE_DATA_DIR)/runs

export HF_HUB_OFFLINE=1
export HF_HUB_DISABLE_TELEMETRY=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: run install test test-fast lint bench eval eval-local baselines baseline-local browser-deps clean

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

## lint: ruff, mypy, and the import contract of pyproject.toml (layers, no cycles)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

## test-fast: the unit tests only (no real models, servers or browser), for development
test-fast: install
	$(BIN)/python -m pytest -q -m "not integration and not slow and not browser" $(PYTEST_ARGS)

## bench: the speed and memory benchmarks; each writes benchmarks/results/<name>.json
BENCHMARKS ?= $(wildcard benchmarks/bench_cli.py benchmarks/bench_ingest.py \
	benchmarks/bench_answer.py benchmarks/ui_concurrency.py)
bench: install
	for script in $(BENCHMARKS); do PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python $$script || exit 1; done

## eval: answer accuracy in extractive mode (fast); eval-local: with the offline LLM (minutes)
eval: install
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera eval --llm extractive

eval-local: install
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera models install
	LENTERA_DATA_DIR=$(DATA_DIR) $(BIN)/lentera eval --llm local

## baselines: regenerate evals/baselines/<library>-extractive.json for every gated library, the
## baselines of CI's eval gate (tests/evals/test_gate.py); baseline-local: <library>-local.json
## with the offline LLM (~10 min per library)
# Baselines come from the default settings only: no LENTERA_*/OPENAI_* variables, no config
# file (they would change the answers and the config hash the baseline records).
DEFAULTS_ONLY = unset $$(env | sed -n 's/^\(LENTERA_[A-Za-z0-9_]*\)=.*/\1/p') \
	OPENAI_API_KEY OPENAI_BASE_URL; export LENTERA_CONFIG=$(BASELINE_DATA_DIR)/no-config.toml;
LENTERA_B = $(DEFAULTS_ONLY) $(BIN)/lentera
GATED_LIBRARIES ?= sample factbook-news holdout-2 holdout-3 holdout-4 holdout-5 holdout-6 holdout-7

baselines: install
	for lib in $(GATED_LIBRARIES); do \
		rm -rf $(BASELINE_RUNS)/extractive/$$lib && \
		$(LENTERA_B) eval --library $$lib --llm extractive --quiet --data-dir $(BASELINE_DATA_DIR) \
			--out $(BASELINE_RUNS)/extractive && \
		$(BIN)/python -m evals.baselines.slim $(BASELINE_RUNS)/extractive/$$lib/result.json \
			evals/baselines/$$lib-extractive.json || exit 1; \
	done

baseline-local: install
	$(LENTERA_B) models install --data-dir $(BASELINE_DATA_DIR)
	for lib in $(GATED_LIBRARIES); do \
		rm -rf $(BASELINE_RUNS)/local/$$lib && \
		$(LENTERA_B) eval --library $$lib --llm local --quiet --data-dir $(BASELINE_DATA_DIR) \
			--out $(BASELINE_RUNS)/local && \
		$(BIN)/python -m evals.baselines.slim $(BASELINE_RUNS)/local/$$lib/result.json \
			evals/baselines/$$lib-local.json || exit 1; \
	done

clean:
	rm -rf $(VENV) $(DATA_DIR) $(BASELINE_DATA_DIR) .pytest_cache .mypy_cache .ruff_cache
