# Two commands on a fresh machine: `make demo` and `make test` (each creates .venv itself).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install install-test demo test browser bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(VENV)/.installed $@

# Browser tests drive Debian's Chromium through Playwright (never `playwright install`).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium is missing and this is not root: browser tests will be skipped"; fi; \
	fi

demo: install
	@echo "== The seed article's Figure 2, reproduced from the graph =="
	@$(BIN)/openness query run figure-2-spectrum
	@echo "== OLMo and Llama 2 side by side =="
	@$(BIN)/openness query run compare-projects --param a=olmo --param b=llama-2
	@if $(BIN)/openness report --help >/dev/null 2>&1; then \
	  echo "== Every project against the key claims =="; $(BIN)/openness report; fi

test: install-test browser
	$(BIN)/python -m pytest -q --durations=25

# The benchmark (README, "Performance"): the differential check on the whole bundled graph, then the
# catalogue sizes with the rdflib + pySHACL baseline and a push into a stock Oxigraph server.
# BENCH_SIZES=--projects 100 --projects 1000 make bench   for a shorter run.
BENCH_SIZES ?= --projects 100 --projects 1000 --projects 10000 --projects 100000
bench: install-test
	$(BIN)/python bench/differential.py
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openness bench $(BENCH_SIZES) --push

clean:
	rm -rf $(VENV) .pytest_cache build dist
