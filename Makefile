# Zhiheng 制衡 — the two commands: `make demo` and `make test`. Nothing else is needed on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1:8000
WORKERS ?= 4

.PHONY: demo test test-only lint venv serve clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Zhiheng needs Python 3.11+, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

## make demo: create the environment, migrate, load the demo data and serve it at http://$(HOST) with Django's
## development server (runserver); `make serve` is the production server
demo: venv
	$(BIN)/zhiheng migrate --noinput
	$(BIN)/zhiheng ledger keygen
	$(BIN)/zhiheng load_demo
	@echo "制衡演示已就绪：http://$(HOST)/  (API 文档：http://$(HOST)/api/v1/docs)"
	$(BIN)/zhiheng runserver --noreload $(HOST)

## make serve: the production server (gunicorn, $(WORKERS) sync workers, DEBUG off) at http://$(HOST), on the
## embedded database (SQLite under var/; ZHIHENG_DATABASE_URL if set). `make demo` loads the demo data first.
serve: venv
	$(BIN)/zhiheng migrate --noinput
	$(BIN)/zhiheng ledger keygen
	ZHIHENG_DEBUG=0 $(BIN)/gunicorn config.wsgi:application --bind $(HOST) --workers $(WORKERS) --access-logfile -

## make test: lint, types, migration drift, architecture contracts, then the whole suite (browser tests included)
test: venv lint test-only

# Two passes: everything else on two workers, then the PostgreSQL concurrency proofs one at a time
# (each opens 64+ connections; two at once would exceed the server's default limit of 100).
test-only: venv
	$(BIN)/pytest -q -n 2 --dist loadgroup -m "not postgres"
	$(BIN)/pytest -q -m postgres

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/zhiheng makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: venv
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
