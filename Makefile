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

# PDFs are printed by Debian's Chromium (the browser tests drive it too) in Liberation
# Serif 2 (fonts-liberation2), metric-compatible with Times New Roman. Debian's older
# fonts-liberation (1.07) lacks the Vietnamese letters with a hook or dot below (ạ ả ệ ữ…),
# which then fall back to another typeface. Installed when missing and root.
chromium:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="chromium"; \
	fc-list "Liberation Serif:charset=1ea1 1ec7 1ef1" family 2>/dev/null | grep -q . \
	  || dpkg -s fonts-liberation2 >/dev/null 2>&1 || missing="$$missing fonts-liberation2"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	  else echo "Thiếu gói:$$missing. Cài bằng apt-get install$$missing để tải PDF đúng phông chữ."; fi; \
	fi

db: setup chromium
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask demo-data --if-empty

run: db
	$(VENV)/bin/gunicorn --worker-class sync --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

# Lint: ruff, and bandit's security review of app/ (any finding fails; a reviewed
# false positive is annotated on its line: `# nosec B603  # why`).
lint: deps
	$(VENV)/bin/ruff check app tests bench
	$(VENV)/bin/bandit -r app -q

# The whole suite: lint, migrations agree with models, unit/view/browser tests.
# Set DATABASE_URL (postgresql://…) to run it on PostgreSQL.
test: setup chromium lint
	$(PY) -m pytest -q

# The performance bench (not part of `make test`; about 10 min): the README's Performance
# section says what it prints. BENCH_SECONDS (per page, default 3), BENCH_PAGES (words of
# the page labels, comma-separated), DATABASE_URL (PostgreSQL) choose what it measures.
bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules app/static/vendor
