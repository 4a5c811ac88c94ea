# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
# The tests run in as many processes as the machine has cores (pytest-xdist), a test module per process
# at a time; TEST_WORKERS=0 runs them in this one process.
TEST_WORKERS ?= auto
PYTEST_PARALLEL := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadscope)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Python >= 3.12: the interpreter pyenv selects through .python-version, else python3.13 or
# python3.12 on the PATH, else python3 if it is recent enough.
PYTHON ?= $(shell for candidate in "$$(pyenv which python 2>/dev/null)" python3.13 python3.12 python3; do \
	if [ -n "$$candidate" ] && command -v "$$candidate" >/dev/null 2>&1 && \
	   "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	   command -v "$$candidate"; break; fi; done)

.PHONY: help run serve bench bench-explain bench-tools cluster drill backup restore test venv install install-dev lint migrate fixtures admin-account messages check-python clean

help:
	@echo "make run   - set up a local demo on SQLite and serve it on http://127.0.0.1:$(PORT)/"
	@echo "make test  - run every check: ruff, makemigrations --check, the tests on SQLite (and PostgreSQL if DATABASE_URL names one)"
	@echo "make serve - the production stack, locally: DEBUG off, collectstatic, migrate, Gunicorn (gunicorn.conf.py), no TLS"
	@echo "make bench - build bench_1x and bench_100x on PostgreSQL, serve each with one Gunicorn worker, print req/s and p99 (slow: ~15 min)"
	@echo "make bench-explain - EXPLAIN (ANALYZE, BUFFERS) every query each benchmarked page runs, on bench_100x"
	@echo "make cluster - two app nodes behind nginx, the PostgreSQL primary and its replica (port 5433), a Redis: Ctrl-C stops it"
	@echo "make drill - the cluster under load while a node, the replica and Redis fail and return; prints the figures"
	@echo "make backup - write the database (DATABASE_URL, else db.sqlite3) and MEDIA_ROOT to backups/<time>/"
	@echo "make restore BACKUP=backups/<time> - bring a backup back into an empty database and media folder"

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
run: export DATABASE_REPLICA_URLS=
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py loaddata reference_archive
	$(PY) manage.py ensure_admin --url http://127.0.0.1:$(PORT)/
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production stack, locally. DATABASE_URL if set, else db.sqlite3; CACHE_URL as set (see README).
# No TLS here: SECURE_SSL_REDIRECT defaults to false, so the pages answer over http.
serve: export DEBUG=false
serve: export SECURE_SSL_REDIRECT ?= false
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: install
	@echo "== make serve: the production stack without TLS =="
	@echo "   In production, a TLS-terminating proxy goes in front: set BEHIND_PROXY=true there (and SECURE_SSL_REDIRECT=true"
	@echo "   unless the proxy redirects to HTTPS itself). Cookies are Secure, so logging in to the admin needs HTTPS in front;"
	@echo "   the public pages work here over http: http://127.0.0.1:$(PORT)/fr/"
	@if [ -z "$$SECRET_KEY" ]; then \
		echo "   SECRET_KEY is not set: a random one is generated for this run (sessions end when the server stops)."; \
		export SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	fi; \
	echo "   database: $$(echo "$${DATABASE_URL:-sqlite:///db.sqlite3}" | sed -E 's#//[^@/]*@#//…@#'); cache: $${CACHE_URL:-local memory}"; \
	echo "   ALLOWED_HOSTS=$$ALLOWED_HOSTS SECURE_SSL_REDIRECT=$$SECURE_SSL_REDIRECT"; \
	set -e; \
	$(PY) manage.py check --deploy; \
	$(PY) manage.py collectstatic --no-input -v 0; \
	$(PY) manage.py migrate --no-input; \
	if ! $(PY) manage.py shell -v 0 -c 'import sys; from dialogue.models import Dialogue; sys.exit(0 if Dialogue.objects.exists() else 1)'; then \
		echo "   The database is empty: loading the reference archive."; \
		$(PY) manage.py loaddata reference_archive; \
	fi; \
	PORT=$(PORT) exec $(VENV)/bin/gunicorn -c gunicorn.conf.py

# Benchmark tools: wrk (load generator) and nginx (the static-file yardstick), from Debian.
bench-tools:
	@if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then \
		echo "== Installing wrk and nginx =="; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; \
	fi

# Drops and rebuilds the bench_* PostgreSQL databases (BENCH_POSTGRES_URL), never any other.
bench: install bench-tools
	$(PY) -m bench.pages

bench-explain: install
	$(PY) -m bench.explain

# The site as a host runs it, on this machine's loopback: deploy/cluster.py (README, "Several app nodes").
cluster: install bench-tools
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
	$(PY) -m deploy.cluster

drill: install bench-tools
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
	$(PY) -m deploy.drill

# A consistent dump of the database of DATABASE_URL (db.sqlite3 if unset) and an archive of MEDIA_ROOT.
backup: install
	$(PY) manage.py backup

restore: install
	@if [ -z "$(BACKUP)" ]; then echo "usage: make restore BACKUP=backups/<time>" >&2; exit 1; fi
	$(PY) manage.py restore "$(BACKUP)"

test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL= DATABASE_REPLICA_URLS= $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL= DATABASE_REPLICA_URLS= $(PY) manage.py check
	@# The committed .mo catalogues must match their .po sources (make run uses them as they are).
	@if command -v msgfmt >/dev/null; then \
		DATABASE_URL= DATABASE_REPLICA_URLS= $(PY) manage.py compilemessages --ignore '.venv/*' >/dev/null && \
		git diff --quiet -- 'locale/*.mo' || { echo "error: locale/*.mo is stale: run 'make messages' and commit" >&2; exit 1; }; \
	fi
	@echo "== Tests on SQLite =="
	DATABASE_URL= DATABASE_REPLICA_URLS= $(VENV)/bin/pytest $(PYTEST_PARALLEL) -m "not postgres"
	@if [[ "$$DATABASE_URL" == postgres* ]]; then \
		echo "== Tests on PostgreSQL ($${DATABASE_URL%%@*}@…) =="; \
		$(VENV)/bin/pytest $(PYTEST_PARALLEL); \
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
