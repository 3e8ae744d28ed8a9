# Everyday tasks. `make demo` serves the demo site, `make test` runs the suite, `make lint` checks style and the layers.
# Every target sets up .venv first; pip runs again only when requirements.txt changes.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
PORT ?= 8000
ARGS ?=

.PHONY: venv demo serve test bench soak lint pango

venv: $(STAMP)

$(PY):
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)

# The stamp is newer than requirements.txt once its packages are installed, so a second run skips pip.
$(STAMP): requirements.txt | $(PY)
	@echo "Installing requirements.txt into $(VENV)"
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

demo: venv
	@$(MANAGE) migrate --noinput -v 0
	@# The .mo files are committed; recompile them only where gettext is installed (it skips up-to-date ones).
	@if command -v msgfmt >/dev/null 2>&1 && ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules --ignore=staticfiles -v 0; \
	fi
	@$(MANAGE) collectstatic --noinput -v 0
	@$(MANAGE) load_demo --simulated
	@echo
	@echo "Serving the demo at http://127.0.0.1:$(PORT)/ (Ctrl-C to stop); log in with one of the logins above."
	@DEBUG=false HTTPS=false $(MANAGE) runserver 127.0.0.1:$(PORT)

# The site under gunicorn with the production settings (DEBUG off, HTTPS on: behind a TLS proxy), on SQLite or
# on DATABASE_URL. For plain HTTP on this machine say so: `HTTPS=false make serve`. README: why 3 workers.
WORKERS ?= 3
BIND ?= 127.0.0.1
serve: venv
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) collectstatic --noinput -v 0
	@echo "gunicorn, $(WORKERS) workers, at http://$(BIND):$(PORT)/ (Ctrl-C to stop)"
	@$(VENV)/bin/gunicorn cchc.wsgi:application --bind $(BIND):$(PORT) --workers $(WORKERS) --timeout 120 \
		--access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# The browser tests need a Chromium: Debian's if present or installable, else Playwright's own.
# CHROMIUM_PATH tells tests/conftest.py which one; empty means Playwright's.
# WeasyPrint (the inspection brief's PDF) needs Pango from the system; its fonts are vendored in static/vendor.
test: venv pango
	@if [ -x /usr/bin/chromium ]; then \
		chromium=/usr/bin/chromium; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1; \
		chromium=/usr/bin/chromium; \
	else \
		$(VENV)/bin/playwright install chromium || exit 1; \
		chromium=; \
	fi; \
	CHROMIUM_PATH=$$chromium $(VENV)/bin/pytest $(ARGS)

pango: venv
	@if ! $(PY) -c "import weasyprint" >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Pango for WeasyPrint with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null || exit 1; \
		else \
			echo "WeasyPrint cannot load Pango: run 'apt-get install -y libpango-1.0-0 libpangoft2-1.0-0' as root"; exit 1; \
		fi; \
	fi

# The dashboard's reads, its server and the import, timed on a simulated country in a throw-away PostgreSQL
# database (test_<name of BENCH_PG's database>, created and dropped; the server at BENCH_PG must answer).
# About ten minutes; `make bench ARGS="--runs 30 --no-ten-times"` to change it. Figures in docs/performance.md.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432/cchc_bench
bench: venv
	@# The pages render under the manifest storage: its manifest must exist, also on a fresh clone.
	@$(MANAGE) collectstatic --noinput -v 0
	@if $(PY) -c "import sys, psycopg2; psycopg2.connect(sys.argv[1].rsplit('/', 1)[0] + '/postgres').close()" "$(BENCH_PG)" 2>/dev/null; then \
		DATABASE_URL="$(BENCH_PG)" $(MANAGE) bench_dashboard $(ARGS); \
	else \
		echo "make bench needs a PostgreSQL server at $(BENCH_PG) (set BENCH_PG)"; exit 1; \
	fi

# A soak (issue 11): gunicorn on the loopback, read and written as the four roles at once for 10 minutes on a
# simulated country in a throw-away PostgreSQL database (test_<name of SOAK_PG's database>); it stops by itself
# and prints requests, errors, p95 and the workers' memory at start and end. Shorter: `make soak ARGS="--minutes 2"`.
SOAK_PG ?= postgres://postgres@127.0.0.1:5432/cchc_soak
soak: venv
	@$(MANAGE) collectstatic --noinput -v 0
	@if $(PY) -c "import sys, psycopg2; psycopg2.connect(sys.argv[1].rsplit('/', 1)[0] + '/postgres').close()" "$(SOAK_PG)" 2>/dev/null; then \
		DATABASE_URL="$(SOAK_PG)" $(MANAGE) soak $(ARGS); \
	else \
		echo "make soak needs a PostgreSQL server at $(SOAK_PG) (set SOAK_PG)"; exit 1; \
	fi

# lint-imports: the layers contract in pyproject.toml (each layer imports only those below it; the base no app).
lint: venv
	$(VENV)/bin/ruff check
	$(VENV)/bin/ruff format --check
	$(VENV)/bin/lint-imports --no-logo
	$(MANAGE) makemigrations --check --dry-run
