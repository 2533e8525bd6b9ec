# awardbot — everything a newcomer needs is `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CONFIG ?= config.toml

.PHONY: install demo demo-script run test test-pg lint bench migration clean

# A fresh venv installed exactly from the lock file (the install we tested).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install  ## talk to the bot in this terminal, no token or internet needed
	$(BIN)/awardbot --config $(CONFIG) demo

demo-script: install  ## the scripted tour, printed as a transcript
	$(BIN)/awardbot --config $(CONFIG) demo --script

run: install  ## the real bot; needs telegram.token in config.toml or AWARDBOT__TELEGRAM__TOKEN
	$(BIN)/awardbot --config $(CONFIG) db upgrade
	$(BIN)/awardbot --config $(CONFIG) run

test: install  ## the whole suite (database tests on PostgreSQL too when AWARDBOT_TEST_PG_URL is set)
	$(BIN)/pytest -q

# One folder of the suite each: make test-unit, test-db, test-e2e, test-bot, test-documents,
# test-emulator, test-i18n, test-sender, test-workflow.
TEST_FOLDERS := $(notdir $(patsubst %/,%,$(wildcard tests/*/)))
TEST_TARGETS := $(addprefix test-,$(filter-out __pycache__,$(TEST_FOLDERS)))
.PHONY: $(TEST_TARGETS)
$(TEST_TARGETS): test-%: install
	$(BIN)/pytest -q tests/$*

test-pg: install  ## the suite with the database tests on the local PostgreSQL as well
	AWARDBOT_TEST_PG_URL=postgresql://postgres@127.0.0.1:5432/test $(BIN)/pytest -q

lint: install
	$(BIN)/ruff check awardbot tests bench
	$(BIN)/mypy awardbot

bench: install  ## speed and memory targets, printed as a table (see BENCHMARKS.md)
	$(BIN)/python bench/run.py

migration: install  ## before the first release: regenerate 0001 from the models (needs PostgreSQL)
	scripts/regenerate_migration.sh

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .hypothesis
