# The two commands a newcomer needs: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PANEL_VAR_DIR ?= $(CURDIR)/var

.DEFAULT_GOAL := help
.PHONY: help install word-list run serve migrate demo test test-fast test-browser check format mutation chromium bench bench-selection bench-redaction bench-insights clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	@# setuptools warns, on every editable install, that the panel/ folder is the package: it is.
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/app.css: node_modules/.installed static/scss/app.scss
	npm run --silent build

install: $(VENV)/.installed static/dist/app.css word-list ## install Python and front-end dependencies, compile the CSS

word-list: ## British English words (Debian's wbritish), which redaction tells names from words by
	@bash .ci/ensure-debian-package /usr/share/dict/british-english wbritish

migrate: install ## apply database migrations
	$(BIN)/panel db upgrade

demo: migrate ## load the demo accounts (demo mode)
	PANEL_DEMO=true $(BIN)/panel demo load

run: demo ## install, migrate, load demo data and serve on http://127.0.0.1:8000
	PANEL_DEMO=true $(BIN)/panel serve --host 127.0.0.1 --port 8000

chromium: ## make sure Debian's Chromium is installed for the browser tests
	@bash .ci/ensure-debian-package /usr/bin/chromium chromium fonts-liberation

# Branch coverage of panel/ by the unit and integration tests; the threshold is fail_under in
# [tool.coverage.report] (pyproject.toml).
test: install chromium ## run the whole test suite (unit and integration with coverage, then browser)
	$(BIN)/pytest tests/unit tests/integration --cov --cov-report=term
	$(BIN)/pytest tests/browser

test-fast: install ## unit and integration tests only
	$(BIN)/pytest tests/unit tests/integration

test-browser: install chromium ## browser journeys only
	$(BIN)/pytest tests/browser

check: install ## lint, format check, type check and the import contract (areas depend one way)
	$(BIN)/ruff format --check panel tests bench
	$(BIN)/ruff check panel tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# A fresh run each time: mutmut keeps its verdicts in mutants/ and would not retest a survivor
# against tests written since. The run's own progress goes to mutants/run.log.
mutation: install ## mutation-test every panel/*/rules.py; fails below 90% killed (AREA=consent: one area)
	rm -rf mutants && mkdir mutants
	$(BIN)/mutmut run $(if $(AREA),"panel.$(AREA).rules*") > mutants/run.log 2>&1 \
		|| { tail -n 40 mutants/run.log; exit 1; }
	$(BIN)/python tests/support/mutation_report.py $(if $(AREA),--area $(AREA))

format: install ## format the code
	$(BIN)/ruff format panel tests bench
	$(BIN)/ruff check --fix panel tests bench

bench: install ## run the benchmarks and print their numbers
	@bash .ci/ensure-debian-package wrk wrk
	$(BIN)/python bench/passwords.py
	$(BIN)/python bench/http.py
	$(BIN)/python bench/timing.py
	$(BIN)/python bench/signup.py
	$(BIN)/python bench/management.py --reuse

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/.installed
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e '.[bench]'
	touch $@

bench-selection: $(VENV)/.installed-bench ## LEXIMIN against sortition-algorithms (maximin, legacy)
	$(BIN)/python bench/selection.py

bench-redaction: $(VENV)/.installed-bench ## redaction on the labelled corpus, against scrubadub
	$(BIN)/python bench/redaction.py

bench-insights: install ## the insight library and the rights heat map with 50,000 findings
	$(BIN)/python bench/insights.py

clean: ## remove installed and generated files (keeps var/)
	rm -rf $(VENV) node_modules static/dist
