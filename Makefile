# One entry point per habit. Each target creates the virtual environment when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := tests/elizaos/node_modules/.package-lock.json
A11Y_STAMP := tests/a11y/node_modules/.package-lock.json

.PHONY: site build validate test fuzz lint bench bench-100k bench-all docs screenshots clean chromium

site: $(STAMP)  ## Build the catalog into site/, then serve it on http://127.0.0.1:8000/ with live reload (Ctrl-C stops)
	$(BIN)/catalog build
	$(BIN)/catalog serve

build: $(STAMP)  ## Build the catalog into site/ and stop (what deploy.yml runs)
	$(BIN)/catalog build

validate: $(STAMP)
	$(BIN)/catalog validate

test: $(STAMP) $(NODE_STAMP) $(A11Y_STAMP) chromium  ## The whole test suite
	$(BIN)/pytest

fuzz: $(STAMP)  ## tests/test_fuzz.py with 50x the examples, at random (~37,000; 24 min on 2 cores)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -p no:cacheprovider --hypothesis-show-statistics \
	  tests/test_fuzz.py

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

docs: $(STAMP)  ## Regenerate reference pages and the manifest JSON Schema
	$(BIN)/catalog docs

screenshots: $(STAMP) chromium  ## Build this catalog and shoot the README's screenshots
	$(BIN)/python tests/screenshots.py

bench: $(STAMP)  ## The goals of catalog/performance.md at 1,000 and 10,000 agents, realistic and minimal, with their baselines and a Markdown table (~20 min on 2 idle cores; over an hour when they are shared)
	$(BIN)/python benchmarks/bench_goals.py

bench-100k: $(STAMP)  ## The generator alone (no mkdocs) on 100,000 realistic agents: time, memory, size
	$(BIN)/python benchmarks/bench_goals.py --generator-only 100000

bench-all: bench  ## Every benchmark: the goals, then the detailed build, validate, search and Markdown ones
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_search.py
	$(BIN)/python benchmarks/search_quality.py
	$(BIN)/python benchmarks/bench_render.py

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The real elizaOS runtime (@elizaos/core, pinned in tests/elizaos/package-lock.json) that the
# character compatibility test compares our verdicts with.
$(NODE_STAMP): tests/elizaos/package-lock.json
	npm ci --prefix tests/elizaos --no-audit --no-fund --loglevel=error

# axe-core (pinned in tests/a11y/package-lock.json), injected into the built pages by the
# accessibility tests (tests/test_site_a11y.py).
$(A11Y_STAMP): tests/a11y/package-lock.json
	npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error

# Browser tests drive Debian's Chromium through Playwright (no browser download is possible).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

clean:
	rm -rf $(VENV) site tests/elizaos/node_modules tests/a11y/node_modules
