# Two entry points for a fresh machine (each creates the virtualenv itself):
#   make run   - demo data (unless RAW_DATA_PATH has data), dbt build, a summary
#   make test  - dbt unit + data tests on generated fixtures, pytest, sqlfluff, ruff
#   make dagster - the Dagster UI (schedules, sensors, syncs as assets) on 127.0.0.1:3000
#   make bench - the scale benchmark into docs/benchmarks.md (BENCH_SCALES="10M 100M"; not in CI)
SHELL := /bin/bash
# The interpreter of .venv. dbt's own Python (start-up, compiling and logging each node)
# is on the critical path of every scheduled run, so prefer the distribution's CPython
# 3.11 (Debian builds it with profile-guided optimization) when it can make a venv, over a
# `python3` built without (pyenv's default): a time-only run at 100M took about 10% less
# (docs/benchmarks.md, "sixteenth run"). `make PYTHON=...` chooses another.
DISTRO_PYTHON := /usr/bin/python3.11
PYTHON ?= $(if $(shell $(DISTRO_PYTHON) -c 'import ensurepip, venv' 2>/dev/null && echo ok),$(DISTRO_PYTHON),python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: run test lint sql-lint py-lint pytest dbt-test venv clean dagster spark-check bench

venv: $(STAMP)

# (this machine's pip config names local mirrors that may be absent: drop those warnings)
PIP_QUIET := 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	set -o pipefail; $(BIN)/pip install --quiet --upgrade pip $(PIP_QUIET)
	set -o pipefail; $(BIN)/pip install --quiet -e '.[dev]' $(PIP_QUIET)
	touch $(STAMP)

run: venv
	$(BIN)/python -m audience_warehouse.main_job

test: venv py-lint dbt-test sql-lint pytest

py-lint: venv
	$(BIN)/ruff check audience_warehouse orchestration tests
	$(BIN)/ruff format --check audience_warehouse orchestration tests

# dbt unit tests and data tests on a small generated dataset in a scratch folder.
TEST_DATA := $(CURDIR)/target/test-data
dbt-test: venv
	rm -rf $(TEST_DATA) && mkdir -p $(TEST_DATA)
	$(BIN)/python -m audience_warehouse.demo_data --out $(TEST_DATA)/raw \
		--contacts 300 --events 30000 --seed 7 --end 2026-11-20
	RAW_DATA_PATH=$(TEST_DATA)/raw WAREHOUSE_PATH=$(TEST_DATA)/warehouse.duckdb \
		$(BIN)/dbt build --vars '{as_of: "2026-11-19T18:00:00Z"}'

# sqlfluff's dbt templater compiles the project, so it needs the data dbt-test wrote.
sql-lint: venv dbt-test
	RAW_DATA_PATH=$(TEST_DATA)/raw WAREHOUSE_PATH=$(TEST_DATA)/lint.duckdb \
		$(BIN)/sqlfluff lint models tests/dbt

# The Spark comparison is `make spark-check` (CI runs it after this), not part of pytest here.
pytest: venv
	$(BIN)/pytest -m 'not spark'

# The same models on Spark (local mode, dbt-spark session) and on DuckDB, on the same
# generated data and as_of, compared row for row (README, "Running on Spark"). Installs the
# `spark` extra into .venv first; needs Java 17.
SPARK_STAMP := $(VENV)/.spark-installed-stamp
$(SPARK_STAMP): $(STAMP)
	set -o pipefail; $(BIN)/pip install --quiet -e '.[dev,spark]' $(PIP_QUIET)
	touch $(SPARK_STAMP)

spark-check: venv $(SPARK_STAMP)
	$(BIN)/python -m audience_warehouse.engine_check

# The Dagster UI with the whole graph on http://127.0.0.1:3000 (instance state in .dagster/,
# SQLite: no server needed). The dbt manifest is parsed first.
dagster: venv
	$(BIN)/dbt parse --quiet
	mkdir -p .dagster && cp orchestration/dagster.yaml .dagster/dagster.yaml
	PATH=$(CURDIR)/$(BIN):$$PATH DAGSTER_HOME=$(CURDIR)/.dagster \
		$(BIN)/dagster dev -m orchestration.definitions \
		-h 127.0.0.1 -p 3000

# The scale benchmark (bench/, issue 6): generates data, runs each step as its own process,
# writes docs/benchmarks.md. Small run: make bench BENCH_SCALES=1M BENCH_SYNC_RECORDS=10k
BENCH_SCALES ?= 10M 100M
BENCH_DIR ?= $(CURDIR)/target/bench
BENCH_SYNC_SCALE ?= $(lastword $(BENCH_SCALES))
BENCH_SYNC_RECORDS ?=
BENCH_DRT ?= 1
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	set -o pipefail; $(BIN)/pip install --quiet -e '.[dev,bench]' $(PIP_QUIET)
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	BENCH_SCALES="$(BENCH_SCALES)" BENCH_DIR="$(BENCH_DIR)" BENCH_SYNC_SCALE="$(BENCH_SYNC_SCALE)" \
		BENCH_SYNC_RECORDS="$(BENCH_SYNC_RECORDS)" BENCH_DRT="$(BENCH_DRT)" $(BIN)/python -m bench

clean:
	rm -rf $(VENV) target logs data
