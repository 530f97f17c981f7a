"""Commands of the data and build steps: the project's generator and dbt, each run as
its own process through ``measure.run_measured``."""

from __future__ import annotations

import dataclasses
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
    SLOWEST_NODES,
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
    as a scheduled run at "now" does (changed --vars make dbt re-parse the whole project).
    The measurement carries the run's slowest nodes, from the run_results.json this run
    writes (an older one is removed first, so a run that writes none reports none)."""
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
    run_results = project / "target" / "run_results.json"
    run_results.unlink(missing_ok=True)
    measurement = run_measured(label, command, env=env, cwd=project, log=log)
    return dataclasses.replace(measurement, slowest_nodes=slowest_nodes(run_results))


def slowest_nodes(run_results: Path, count: int = SLOWEST_NODES) -> tuple[tuple[str, float], ...]:
    """The `count` nodes of a dbt run that took longest, slowest first, as (name, seconds):
    a model by its name, anything else by its resource type and name (`test unique_x`,
    `unit_test contact_features.its_test`).
    Seconds are dbt's execution_time, so nodes on two dbt threads overlap. Empty when
    there is no run_results.json."""
    if not run_results.exists():
        return ()

    def seconds(result: dict) -> float:
        return float(result.get("execution_time") or 0.0)

    results = json.loads(run_results.read_text()).get("results", [])
    slowest = sorted(results, key=lambda result: (-seconds(result), result["unique_id"]))
    return tuple(
        (_node_name(result["unique_id"]), round(seconds(result), 2)) for result in slowest[:count]
    )


def _node_name(unique_id: str) -> str:
    """The unique_id without its package (and a data test's hash suffix):
    `model.pkg.contact_features` -> `contact_features`, `test.pkg.unique_x.1a2b` ->
    `test unique_x`, `unit_test.pkg.contact_features.its_test` -> `unit_test
    contact_features.its_test`."""
    kind, _package, *parts = unique_id.split(".")
    if kind == "test":
        parts = parts[:-1] or parts
    name = ".".join(parts)
    return name if kind == "model" else f"{kind} {name}"
