# geomap's set-up and jobs. The README's two commands are `make run` and `make test`;
# each creates what it needs (virtualenv, JS assets, gazetteer) when it is missing or stale.

# Python 3.11 or newer: python3.11 when there is one, else python3 (uv cannot download Python here)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
GEOMAP := $(VENV)/bin/geomap
SEED_PLACES := Stepanakert Gandja Gaziantep Riga Brussels Baku Yerevan Nagorno-Karabakh \
               "Nagorny Karabakh" Khankendi

.PHONY: run test setup compile gazetteer browser bench screenshot clean

## run: the main job -- check the seed places, then map the seed articles into output/
run: gazetteer
	$(GEOMAP) geocode $(SEED_PLACES)
	$(GEOMAP) map seeds/

## test: the whole test suite, browser tests included
test: gazetteer browser
	$(PY) -m pytest

setup: $(VENV)/.synced node_modules/.installed

# Bytecode is compiled at install time: where PYTHONDONTWRITEBYTECODE is set (as in many
# containers) Python would otherwise compile matplotlib, pandas... again on every start (some
# 6 s of CPU per `geomap map`). geomap's own modules are compiled on every `make`.
$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	uv sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

setup: compile
compile: $(VENV)/.synced
	@$(PY) -m compileall -q geomap

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

package.json package-lock.json:
	@test -f $@

## gazetteer: build gazetteer/geomap.sqlite from the committed sources if missing or stale
gazetteer: setup
	$(GEOMAP) gazetteer build --if-stale

## browser: Debian's chromium for the browser tests (installed when missing and we are root)
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "chromium not installed: browser tests will be skipped (apt-get install chromium chromium-driver)"; fi

## screenshot: the seed map as headless Chromium draws it offline
screenshot: gazetteer browser
	$(GEOMAP) map seeds/ --screenshot output/map-screenshot.png

## bench: the benchmarks whose figures are in README
bench: gazetteer
	$(PY) bench/bench_gazetteer.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_toponyms.py
	$(PY) bench/bench_incidents.py
	$(PY) bench/bench_map.py

## fuzz: the property tests with the "fuzz" Hypothesis profile, then 10,000 generated inputs
## through the library and the CLI and 100 kill -9 during writes (issue 14; about an hour)
.PHONY: fuzz
fuzz: gazetteer
	HYPOTHESIS_PROFILE=fuzz GEOMAP_WRITER_EXAMPLES=300 $(PY) -m pytest -q -p no:cacheprovider \
		tests/test_hardening.py -k property
	$(PY) bench/fuzz_inputs.py --inputs 10000 --failures output/fuzz-failures.jsonl
	$(PY) bench/fuzz_kills.py --kills 100

clean:
	rm -rf $(VENV) node_modules gazetteer/geomap.sqlite
