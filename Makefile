# jobcrawler: `make demo` shows it working offline, `make test` runs the whole suite,
# `make test-fast` its fast tier (in process, under a minute).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast test-e2e faults lint format bench clean deploy

install: $(STAMP)

$(STAMP): setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The demo writes to .scrapy/jobcrawler-demo.sqlite3, or to DATABASE_URL when it is set.
demo: install
	$(BIN)/python -m jobcrawler demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Tests run on every core (pytest-xdist; PYTEST_WORKERS=0 runs them in this process). Tiers:
# `e2e` tests start PostgreSQL, the fake ATS server, crawl processes, scrapyd or Chromium;
# the rest is the fast tier. `make test` runs the fast tier first, so its failures come early.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

test: lint
	$(BIN)/python -m jobcrawler companies validate
	$(PYTEST) -m "not e2e"
	$(PYTEST) -m e2e

test-fast: install
	$(PYTEST) -m "not e2e"

test-e2e: install
	$(PYTEST) -m e2e

# The fault tests of issue 7's trust guarantees (removal evidence, bad entries, sessions,
# exit codes, leases, database faults, hostile input, stable content), on both databases.
FAULT_TESTS := $(addprefix tests/test_,crawl_evidence verify spiders_lever_paging \
	db_store_evidence crawl_entries spiders_entries db_store_writes pipelines_store db_lease \
	db_sessions commands runner outcome company_settings normalize_urls yamllines \
	db_store_dates db_content db_migration_content_hash crawl_dates fakeats_faults)
faults: install
	$(PYTEST) $(addsuffix .py,$(FAULT_TESTS))

bench: install
	$(BIN)/python -m tests.benchmark

# Build, check and deploy the egg to every scrapy.cfg target (or: make deploy TARGETS="node2").
# Nodes reading their own catalog (JOBCRAWLER_COMPANIES_DIR): make deploy COMPANIES_DIR=/path
# with that catalog, so the deploy checks the nodes list its spiders, not the packaged ones.
deploy: install
	$(BIN)/python -m scheduler.deploy $(TARGETS) $(if $(COMPANIES_DIR),--companies-dir "$(COMPANIES_DIR)")

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
