# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Python >= 3.12: the interpreter pyenv selects through .python-version, else python3.13 or
# python3.12 on the PATH, else python3 if it is recent enough.
PYTHON ?= $(shell for candidate in "$$(pyenv which python 2>/dev/null)" python3.13 python3.12 python3; do \
	if [ -n "$$candidate" ] && command -v "$$candidate" >/dev/null 2>&1 && \
	   "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	   command -v "$$candidate"; break; fi; done)

.PHONY: help run test venv install install-dev lint migrate fixtures admin-account messages check-python clean

help:
	@echo "make run   - set up a local demo on SQLite and serve it on http://127.0.0.1:$(PORT)/"
	@echo "make test  - run every check: ruff, makemigrations --check, the tests on SQLite (and PostgreSQL if DATABASE_URL names one)"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is needed and none was found." >&2; \
		echo "Install python3.13 or python3.12 (or select one with pyenv), or run: make PYTHON=/path/to/python3.12 run" >&2; \
		exit 1; fi

$(VENV)/bin/activate: | check-python
	"$(PYTHON)" -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The local demo always runs on the embedded SQLite database, whatever DATABASE_URL says.
run: export DATABASE_URL=
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py loaddata reference_archive
	$(PY) manage.py ensure_admin --url http://127.0.0.1:$(PORT)/
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL= $(PY) manage.py check
	@# The committed .mo catalogues must match their .po sources (make run uses them as they are).
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore '.venv/*' >/dev/null && \
		git diff --quiet -- 'locale/*.mo' || { echo "error: locale/*.mo is stale: run 'make messages' and commit" >&2; exit 1; }; \
	fi
	@echo "== Tests on SQLite =="
	DATABASE_URL= $(VENV)/bin/pytest -m "not postgres"
	@if [[ "$$DATABASE_URL" == postgres* ]]; then \
		echo "== Tests on PostgreSQL ($${DATABASE_URL%%@*}@…) =="; \
		$(VENV)/bin/pytest; \
	elif [[ -n "$$FAIL_ON_SKIP" ]]; then \
		echo "error: FAIL_ON_SKIP is set but DATABASE_URL does not name a PostgreSQL database" >&2; exit 1; \
	else \
		echo "== PostgreSQL run skipped: DATABASE_URL does not name a PostgreSQL database =="; \
	fi

# Regenerate the message catalogues after changing interface strings, then translate and commit them.
messages: install-dev
	$(PY) manage.py makemessages --locale fr --locale en --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*'
	@# English is the source language: its catalogue repeats each message.
	msgattrib --clear-fuzzy --clear-previous locale/en/LC_MESSAGES/django.po | msgfilter --keep-header sed -e d \
		| msgen - -o locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
