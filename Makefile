# The few verbs people use. `make run` serves the portal; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# collectstatic compresses every file again (about 875, with the installed packages'), so it runs
# only when something under static/ (a file added, changed or removed) or the installed packages
# changed; its manifest, written last, stands for the whole collection.
STATIC_STAMP := staticfiles/staticfiles.json
STATIC_SOURCES := $(shell find static)

.PHONY: run test lint seed static bench bench-varnish soak faults

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

seed: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seeds

static: $(STATIC_STAMP)

$(STATIC_STAMP): $(STAMP) $(STATIC_SOURCES)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	touch $@

run: seed static
	$(VENV)/bin/gunicorn --config gunicorn.conf.py portal.wsgi

test: $(STAMP)
	$(VENV)/bin/pytest

bench: $(STAMP)
	$(PY) bench/run.py

# The same cached pages through Varnish and from gunicorn; writes docs/deployment.md.
bench-varnish: $(STAMP)
	$(PY) bench/varnish.py

# 16 connections for 60 s on PostgreSQL under gunicorn; writes docs/reliability.md.
soak: $(STAMP)
	$(PY) bench/soak.py

# Redis and PostgreSQL (each its own, on its own port) stopped under load; writes docs/reliability.md.
faults: $(STAMP)
	$(PY) bench/faults.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
