# Two commands for a fresh machine: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
CATALOGS := $(wildcard meetgreet/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test lint bench install install-dev translations-extract clean

run: install
	@$(FLASK) db upgrade
	@$(FLASK) demo load --if-empty
	@echo ""
	@echo "Meet & Greet runs on http://127.0.0.1:5000  (staff login: http://127.0.0.1:5000/login)"
	@$(FLASK) demo logins
	@echo ""
	@$(FLASK) run --host 127.0.0.1 --port 5000

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

# The check-in benchmark's load comes from wrk: Debian's package, installed when we may.
bench: install-dev
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		echo "wrk is not installed: the check-in benchmark will say it was skipped"
	$(BIN)/python -m bench

install: $(VENV)/.installed node_modules/.installed $(COMPILED)

install-dev: install $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After changing visible text: extract the strings, then translate the new entries in each .po.
translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 -o meetgreet/translations/messages.pot .
	$(BIN)/pybabel update -i meetgreet/translations/messages.pot -d meetgreet/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules instance/meetgreet.sqlite $(COMPILED)
