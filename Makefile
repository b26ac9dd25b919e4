# Advocacy Portal: the commands the README promises. Everything installs into .venv/.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup portal test serve validate bench clean

## setup: create .venv and install the portal with its test tools
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
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
test: setup
	bash .ci/browser-deps
	$(BIN)/python -m pytest

## bench: measure build cost against plain MkDocs (see bench/README.md)
bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf site .portal test-output
