# ipsecexplore developer entry points (GNU make).
#   make test   create .venv if needed, install Chromium if missing, run the linter, then every test and notebook
#   make lint   ruff (configured in pyproject.toml) over the whole repository
#   make lab    JupyterLab on notebooks/ (127.0.0.1, token), prints the URL
# Works as root on a fresh Debian clone with only python3 (>= 3.11) and make.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV      := .venv
VPY       := $(VENV)/bin/python
# Written after a successful install; pyproject.toml newer than it means "install again".
STAMP     := $(VENV)/.installed
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
CHROMIUM  := /usr/bin/chromium
# apt needs root; use sudo only when we are not root already.
SUDO      := $(if $(filter 0,$(shell id -u)),,sudo)
APT       := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

# First interpreter on PATH that is Python >= 3.11 (override: make venv PYTHON=/path/to/python3.12).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

NOTEBOOKS    := $(wildcard notebooks/*.ipynb)
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-k codec -x'
PYTEST_ARGS  ?=
# Port for lab/app; empty = first free port from 8888 (lab) / 8866 (app).
PORT         ?=
# Open a browser for lab/app: auto (only where one exists), yes, no.
OPEN         ?= auto
APP_NOTEBOOK ?= notebooks/07-app.ipynb

.PHONY: help venv chromium lint test lab app bench fuzz report clean distclean

help:
	@echo "make test       create .venv, install Chromium if missing, run make lint, then tests/ and notebooks/ (nbmake)"
	@echo "make lint       ruff check over the repository (rules in pyproject.toml [tool.ruff])"
	@echo "make lab        JupyterLab on notebooks/ at 127.0.0.1 (PORT=, OPEN=auto|yes|no)"
	@echo "make app        Voila page for $(APP_NOTEBOOK) at 127.0.0.1 (PORT=, APP_NOTEBOOK=)"
	@echo "make bench      run every bench/*.py"
	@echo "make fuzz       mutate every reader's inputs for FUZZ_SECONDS (600); kept inputs go to tests/fuzz_corpus/"
	@echo "make report     report of the sample fleet (and the malformed files) -> build/report.html"
	@echo "make venv       only create/refresh .venv (pip install -e '.[dev]')"
	@echo "make chromium   apt-get install Debian's chromium if /usr/bin/chromium is missing"
	@echo "make clean      remove build outputs and caches; make distclean also removes .venv"

# ---------------------------------------------------------------- environment
venv: $(STAMP)

# bin/pip is the last thing `python -m venv` writes, so its presence means the venv is complete.
$(VENV)/bin/pip:
	@py='$(PYTHON)'; \
	if [ -z "$$py" ]; then echo "error: no python3 >= 3.11 on PATH (set PYTHON=/path/to/python3.11)" >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$py ($$($$py -c 'import sys; print(sys.version.split()[0])'))"; \
	if ! $$py -c 'import ensurepip, venv' 2>/dev/null; then \
		ver=$$($$py -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
		echo "$$py has no ensurepip/venv (Debian splits it out): installing python$$ver-venv"; \
		$(APT) update && $(APT) install -y "python$$ver-venv"; \
	fi; \
	rm -rf $(VENV); \
	$$py -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

$(STAMP): pyproject.toml | $(VENV)/bin/pip
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q --progress-bar off -e '.[dev]'
	@# JupyterLab defaults for this venv: no "fetch Jupyter news?" prompt (it covers part of the page
	@# and the feed is on the internet); users can still switch it on in Settings.
	@mkdir -p $(dir $(LAB_OVERRIDES))
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
		> $(LAB_OVERRIDES)
	@touch $@
	@echo "$(VENV) is ready ($$($(VPY) --version))"

# Browser tests use Debian's Chromium (never `playwright install`, which cannot download here).
chromium:
	@if [ -x $(CHROMIUM) ]; then \
		echo "chromium: $(CHROMIUM) present"; \
	else \
		echo "chromium: $(CHROMIUM) missing, installing Debian's chromium"; \
		$(APT) update && $(APT) install -y chromium; \
	fi

# ---------------------------------------------------------------- tests
# ruff from the venv (a dev dependency), so the version that judges the code is the one pyproject.toml names.
lint: venv
	$(VENV)/bin/ruff check .

# Lint first (seconds), then one pytest run over tests/ and (when there are any) the notebooks, so there is a
# single summary line.
test: venv chromium lint
	$(VPY) -m pytest -q tests $(if $(NOTEBOOKS),--nbmake notebooks) $(PYTEST_ARGS)

# ---------------------------------------------------------------- servers
lab: venv
	@mkdir -p notebooks  # git does not keep an empty folder; a fresh clone may have none yet
	$(VPY) scripts/serve.py lab notebooks --open $(OPEN) $(if $(PORT),--port $(PORT))

app: venv
	@test -f '$(APP_NOTEBOOK)' || { echo "error: $(APP_NOTEBOOK) does not exist" >&2; exit 1; }
	$(VPY) scripts/serve.py app '$(APP_NOTEBOOK)' --open $(OPEN) $(if $(PORT),--port $(PORT))

# ---------------------------------------------------------------- other
bench: venv chromium
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "bench: no bench/*.py yet"; exit 0; fi; \
	for f in "$${files[@]}"; do echo "== $$f"; $(VPY) "$$f"; done

# Time-boxed mutation fuzzing of every reader (tests/fuzz/run.py); an input that breaks a promise is kept in
# tests/fuzz_corpus/, which tests/test_fuzz_corpus.py replays in make test. FUZZ_SEED= repeats a run.
FUZZ_SECONDS ?= 600
FUZZ_SEED    ?=
fuzz: venv
	$(VPY) tests/fuzz/run.py --seconds $(FUZZ_SECONDS) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

report: venv
	@mkdir -p build
	@# data/sample is the sample fleet; data/bad shows how rejected records are reported
	$(VENV)/bin/ipsecexplore report data/sample data/bad -o build/report.html
	@echo "wrote build/report.html"

clean:
	rm -rf build dist *.egg-info .pytest_cache .hypothesis test-artifacts
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
