# fangkong — the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS := fangkong/static/vendor/.installed
PYTEST_ARGS ?=

.PHONY: demo test test-sqlite test-postgres browser-test lint bench install assets clean

$(INSTALLED): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(INSTALLED)

$(ASSETS): package.json package-lock.json scripts/vendor_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor_assets.py
	touch $@

assets: $(ASSETS)

demo: install assets
	FANGKONG_DEBUG=true $(BIN)/fangkong demo

test: install assets
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$FANGKONG_TEST_DATABASE_URL" ]; then \
		$(MAKE) --no-print-directory test-postgres; \
	else echo "FANGKONG_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test-sqlite: install
	env -u FANGKONG_DATABASE_URL $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

test-postgres: install
	FANGKONG_DATABASE_URL="$$FANGKONG_TEST_DATABASE_URL" $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

browser-test: install assets
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check fangkong tests bench scripts
	$(BIN)/ruff format --check fangkong tests bench scripts
	$(BIN)/mypy fangkong
	$(BIN)/lint-imports
	FANGKONG_DEBUG=true $(BIN)/fangkong makemigrations --check --dry-run

bench: install assets
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules fangkong/static/vendor var
