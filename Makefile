# Samsyn: `make run` starts it with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local run: Samsyn's own error pages (no DEBUG), static files from the source, plain http,
# and the address that .ics and e-mail links use taken from PORT.
MANAGE := SAMSYN_LOCAL=true SAMSYN_BASE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py

.PHONY: install run test test-python lint bench loadtest scaleout screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

install: $(VENV)/.installed

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Samsyn körs på http://127.0.0.1:$(PORT) (stoppa med Ctrl+C)"
	@trap 'kill 0' INT TERM EXIT; $(MANAGE) db_worker & $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install lint
	@scripts/ensure-chromium
	$(BIN)/python -m pytest -n auto

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/followup_bench.py

loadtest: install
	$(BIN)/python bench/loadtest.py

# Two app nodes and two task workers on one PostgreSQL and one Redis (deploy/compose.yaml).
SCALEOUT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
scaleout: install
	DATABASE_URL=$(SCALEOUT_DATABASE_URL) $(BIN)/python -m pytest -p no:xdist tests/scaleout

screenshots: install
	@scripts/ensure-chromium
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles screenshots
