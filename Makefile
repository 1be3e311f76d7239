# `make site` and `make test` take a fresh clone to a built site / a test run.
# They assume only Python 3.11+ and make; everything else is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve pdf lint bench bench-projects examples clean engines

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	$(BIN)/python -m generator.site.assets
	touch $(STAMP)

# Other engines, each in its own environment, pinned in engines/<name>.txt; the tests
# build `handbook export` with them (tests/test_engines.py).
ENGINES := .cache/engines
ENGINE_NAMES := properdocs zensical

$(ENGINES)/%/.installed: engines/%.txt
	rm -rf $(ENGINES)/$*
	$(PYTHON) -m venv $(ENGINES)/$*
	$(ENGINES)/$*/bin/python -m pip install --quiet -r $<
	touch $@

engines: $(ENGINE_NAMES:%=$(ENGINES)/%/.installed)

site: $(STAMP)
	$(BIN)/handbook build

# The two example centres of projects/, each into site-examples/<id>/.
examples: $(STAMP)
	$(BIN)/handbook build --all-projects -d site-examples

pdf: $(STAMP)
	$(BIN)/handbook build --pdf

test: $(STAMP) engines
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/handbook serve

bench: $(STAMP)
	$(BIN)/python bench/build_speed.py

bench-projects: $(STAMP)
	$(BIN)/python bench/projects.py

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench

clean:
	rm -rf site site-examples $(VENV) $(ENGINES)
