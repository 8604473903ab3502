# Concord: `make run` serves the embedded default, `make test` runs the whole check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ADDR ?= 127.0.0.1:8000

.PHONY: run test install lint format messages clean system-packages

# The Debian packages of packages.debian.txt (fonts, Tesseract, chromium...): installed where missing, or a stop
# with the exact command to run. Nothing to do costs a few milliseconds and no network.
system-packages:
	@scripts/system-packages

$(STAMP): pyproject.toml | system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: system-packages $(STAMP)
	$(BIN)/concord compilelocale

run: install
	$(BIN)/concord migrate --noinput
	$(BIN)/concord loaddemo --if-empty --analyze
	$(BIN)/concord serve $(ADDR)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite runs on SQLite; when DATABASE_URL is set (CI sets it) it runs again on that database, all but
# tests/analysis and tests/browser. The analysis library is Django-free and its tests open no database (a conftest
# there refuses any test that asks for one), so a second run would only repeat them. The browser tests check what
# chromium shows and does; every page they drive is also requested through the test client on both databases, and
# their second run (2 min 12 s of live-server demo loads) put `make test` past 10 minutes on 2 cores.
# TEST_WORKERS processes share the tests (pytest-xdist); each gets its own test database.
TEST_WORKERS ?= 2
test: lint
	$(BIN)/concord makemigrations --check --dry-run
	env -u DATABASE_URL $(BIN)/pytest -n $(TEST_WORKERS)
	@if [ -n "$$DATABASE_URL" ]; then echo "== again on $$DATABASE_URL"; \
		$(BIN)/pytest -n $(TEST_WORKERS) --ignore=tests/analysis --ignore=tests/browser; fi

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the catalogues after changing strings (needs GNU gettext).
messages: install
	$(BIN)/concord makemessages --all --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(BIN)/concord compilelocale

clean:
	rm -rf $(VENV) var

# Analysis evaluation against ../shared/data (skipped where absent) and Concord's own labelled set.
DATA ?= ../shared/data
.PHONY: eval bench-campaigns bench-tagging bench-stance bench-opinions
eval:
	$(BIN)/python -m eval.languages $(DATA)
	$(BIN)/python -m eval.issues $(DATA)
	$(BIN)/python -m eval.campaigns $(DATA)
	$(BIN)/python -m eval.stance $(DATA)
	$(BIN)/python -m eval.opinions $(DATA)

bench-campaigns:
	$(BIN)/python -m bench.campaigns $(N)

bench-tagging:
	$(BIN)/python -m bench.tagging $(N)

bench-stance:
	$(BIN)/python -m bench.stance $(N)

bench-opinions:
	$(BIN)/python -m bench.opinions $(DATA)
