# Two commands: `make run` (set up and serve with demo data) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
export FLASK_APP := wsgi.py

.PHONY: run test setup deps assets db chromium lint bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

deps: $(VENV)/.installed

app/static/vendor/htmx.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p app/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js app/static/vendor/htmx.min.js

assets: app/static/vendor/htmx.min.js

setup: deps assets

# PDFs are printed by Debian's Chromium (the browser tests drive it too), with the
# Liberation fonts standing in for Times New Roman. Installed when missing and root.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && apt-get install -y -q chromium fonts-liberation; \
	  else echo "Chromium chưa được cài: cài gói chromium và fonts-liberation để tải PDF."; fi; \
	fi

db: setup chromium
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask demo-data --if-empty

run: db
	$(VENV)/bin/gunicorn --worker-class sync --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

# The whole suite: lint, migrations agree with models, unit/view/browser tests.
# Set DATABASE_URL (postgresql://…) to run it on PostgreSQL.
test: setup chromium
	$(VENV)/bin/ruff check app tests bench
	$(PY) -m pytest -q

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules app/static/vendor
