# Control Loop: two commands. `make serve` to write, `make test` to check everything.
# Every target sets up what it needs (Debian packages, the hashed .venv) and is near-instant
# when that is already done.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-lock
ADDR ?= 127.0.0.1:8000
# tool:debian-package pairs
# (an absolute path checks a file: DejaVu draws the posts' link-preview cards)
BUILD_TOOLS := dot:graphviz cloc:cloc bwrap:bubblewrap /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
TEST_TOOLS := $(BUILD_TOOLS) chromium:chromium
export SOURCE_DATE_EPOCH ?= 1767225600
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup setup-test serve build test lint format lock new-post bench clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

# Byte-compile the hooks once: with PYTHONDONTWRITEBYTECODE (set here, and on many machines)
# Python would compile them from source on every build, about 40 ms each time.
setup: $(STAMP)
	@.ci/install-system-packages $(BUILD_TOOLS)
	@$(BIN)/python -m compileall -q hooks

setup-test: $(STAMP)
	@.ci/install-system-packages $(TEST_TOOLS)
	@$(BIN)/python -m compileall -q hooks

serve: setup
	$(BIN)/mkdocs serve --livereload --dev-addr $(ADDR)

build: setup
	$(BIN)/mkdocs build --strict

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell docs hooks tests benchmarks diagrams_src README.md CONTRIBUTING.md

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: setup-test lint
	$(BIN)/python -m pytest

# Re-resolve requirements.in into the hashed lock file (needs uv: pip install uv).
lock:
	uv pip compile --python-version 3.11 --generate-hashes --no-header -q requirements.in -o requirements.lock

new-post: $(STAMP)
	@test -n "$(TITLE)" || { echo 'usage: make new-post TITLE="My post title"' >&2; exit 2; }
	$(BIN)/python -m hooks new-post "$(TITLE)"

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python "$$b" || exit 1; done

clean:
	rm -rf site .cache
