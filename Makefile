# jobcrawler: `make demo` shows it working offline, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test faults lint format bench clean deploy

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

# The fault tests of issue 7's trust guarantees (removal evidence, bad entries, sessions,
# exit codes, leases, database faults, hostile input, stable content), on both databases.
FAULT_TESTS := $(addprefix tests/test_,crawl_evidence verify spiders_lever_paging \
	db_store_evidence crawl_entries spiders_entries db_store_writes pipelines_store db_lease \
	db_sessions commands runner outcome company_settings normalize_urls yamllines \
	db_store_dates db_content db_migration_content_hash crawl_dates fakeats_faults)
faults: install
	$(BIN)/pytest $(addsuffix .py,$(FAULT_TESTS))

bench: install
	$(BIN)/python -m tests.benchmark

# Build, check and deploy the egg to every scrapy.cfg target (or: make deploy TARGETS="node2").
deploy: install
	$(BIN)/python -m scheduler.deploy $(TARGETS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
