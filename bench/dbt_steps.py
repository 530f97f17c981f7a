"""Commands of the data and build steps: the project's generator and dbt, each run as
its own process through ``measure.run_measured``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from bench.config import (
    DAYS,
    DUCKDB_BLOCK_ALLOCATOR_MEMORY,
    DUCKDB_MEMORY_LIMIT,
    DUCKDB_THREADS,
    END,
    PROJECT_DIR,
    SEED,
    iso,
)
from bench.measure import Measurement, python, run_measured


def dbt_executable() -> str:
    return str(Path(python()).parent / "dbt")


def generate(raw: Path, *, events: int, contacts: int, batch: str, log: Path) -> Measurement:
    command = [
        python(),
        "-m",
        "audience_warehouse.demo_data",
        "--out",
        str(raw),
        "--contacts",
        str(contacts),
        "--events",
        str(events),
        "--seed",
        str(SEED),
        "--end",
        END.isoformat(),
        "--days",
        str(DAYS),
        "--batch",
        batch,
    ]
    return run_measured(f"generate {batch} ({events:,} events)", command, cwd=PROJECT_DIR, log=log)


def dbt(
    label: str,
    project: Path,
    args: list[str],
    *,
    raw: Path,
    warehouse: Path,
    as_of: datetime,
    log: Path,
    extra_vars: dict[str, object] | None = None,
) -> Measurement:
    """`dbt <args>` on a project snapshot, one process, DuckDB settings from the profile
    (DUCKDB_MEMORY_LIMIT / DUCKDB_THREADS / DUCKDB_BLOCK_ALLOCATOR_MEMORY, spilling to disk
    past the limit). The clock is fixed with AW_AS_OF, not --vars, so dbt parses partially
    as a scheduled run at "now" does (changed --vars make dbt re-parse the whole project)."""
    command = [dbt_executable(), *args]
    if extra_vars:
        command += ["--vars", json.dumps(extra_vars)]
    env = {
        "AW_AS_OF": iso(as_of),
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "RAW_DATA_PATH": str(raw),
        "WAREHOUSE_PATH": str(warehouse),
        "DUCKDB_MEMORY_LIMIT": DUCKDB_MEMORY_LIMIT,
        "DUCKDB_THREADS": DUCKDB_THREADS,
        "DUCKDB_BLOCK_ALLOCATOR_MEMORY": DUCKDB_BLOCK_ALLOCATOR_MEMORY,
        "DBT_TARGET": "duckdb",
    }
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return run_measured(label, command, env=env, cwd=project, log=log)
