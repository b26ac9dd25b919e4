# Advocacy Portal: the commands the README promises. Everything installs into .venv/.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Installs take the exact versions and hashes of requirements/*.txt (refresh them with
# requirements/lock); pyproject.toml keeps the ranges for people who install the package.
INSTALL = $(BIN)/pip install --quiet --require-hashes --no-deps

.PHONY: setup setup-test setup-properdocs setup-zensical portal test serve validate bench lock clean lint-js test-js

## setup: create .venv and install the portal at the locked versions
setup: $(VENV)/.runtime

## setup-test: the same plus the test and development tools
setup-test: $(VENV)/.test

$(VENV)/.runtime: requirements/runtime.txt pyproject.toml
	test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	$(INSTALL) -r requirements/runtime.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test: requirements/test.txt pyproject.toml
	test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	$(INSTALL) -r requirements/test.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.runtime

## setup-properdocs: the test environment plus ProperDocs (portal build --engine properdocs)
setup-properdocs: $(VENV)/.properdocs

$(VENV)/.properdocs: requirements/properdocs.txt pyproject.toml
	test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	$(INSTALL) -r requirements/properdocs.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.test $(VENV)/.runtime

## setup-zensical: Zensical in an environment of its own, .venv-zensical (portal build --engine zensical)
setup-zensical: .venv-zensical/.installed

.venv-zensical/.installed: requirements/zensical.txt
	test -x .venv-zensical/bin/pip || $(PYTHON) -m venv .venv-zensical
	.venv-zensical/bin/pip install --quiet --require-hashes --no-deps -r requirements/zensical.txt
	touch $@

## portal: set up and build the sample portal into site/
portal: setup
	$(BIN)/portal build

## validate: check content/ and print every problem
validate: setup
	$(BIN)/portal validate

## serve: live preview on http://127.0.0.1:8000/
serve: setup
	$(BIN)/portal serve

## test: set up (Python packages, browser test tools) and run every test
test: setup-test
	bash .ci/browser-deps
	bash .ci/servers
	$(BIN)/python -m pytest

## lint-js: ESLint (eslint.config.mjs, from node_modules/: `npm ci`) on the browser scripts and their tests
JS_LINTED := generator/assets generator/records generator/lms_adapter tests/js tests/make_count_vectors.js
lint-js:
	test -x node_modules/.bin/eslint || npm ci --no-audit --no-fund --loglevel=error
	node_modules/.bin/eslint --max-warnings 0 $(JS_LINTED)

## test-js: the browser scripts' rules against the shared vectors in tests/vectors/, in Node
test-js:
	node --test tests/js/

## bench: measure build cost against plain MkDocs (see bench/README.md)
bench: setup-test
	$(BIN)/python bench/run.py

## lint: ruff and mypy over generator/, tests/ and bench/ (the paths are set in pyproject.toml)
# No `ruff format --check`: the code is not in ruff's format, and reformatting it all is a
# change of its own.
.PHONY: lint
lint: setup-test
	$(BIN)/ruff check
	$(BIN)/mypy

## lock: refresh requirements/*.txt from pyproject.toml's ranges (needs the package index)
lock:
	bash requirements/lock

clean:
	rm -rf site .portal test-output
