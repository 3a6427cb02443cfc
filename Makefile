# jobcrawler: `make demo` shows it working offline, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint format bench clean deploy

install: $(STAMP)

$(STAMP): setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: install
	$(BIN)/python -m jobcrawler demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m jobcrawler companies validate
	$(BIN)/pytest

bench: install
	$(BIN)/python -m tests.benchmark

# Build, check and deploy the egg to every scrapy.cfg target (or: make deploy TARGETS="node2").
deploy: install
	$(BIN)/python -m scheduler.deploy $(TARGETS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
