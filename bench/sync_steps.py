"""Sync throughput: the project's engine (``python -m audience_warehouse.sync``) against the
HubSpot sandbox at 190 requests / 10 s, an initial sync of every contact with an email,
then a re-sync after 1% of the records changed; then drt-core against the same sandbox."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb

from bench import dbt_steps, drt_steps, project, sandbox
from bench.config import PROJECT_DIR, BenchConfig
from bench.measure import python, run_measured
from bench.results import Results

SYNC = "sync_hubspot_contacts"
CHANGED_COLUMN = "aw_sessions_30d"
CHANGE_SHARE = 100  # one record in 100


def _all_contacts_project(target: Path) -> Path:
    """A snapshot whose HubSpot sync carries every contact with an email (include:
    all_contacts), so the sync moves about one record per contact."""
    project.snapshot(target)
    model = target / "models" / "syncs" / f"{SYNC}.sql"
    model.write_text(model.read_text().replace("include: segment_members", "include: all_contacts"))
    return target


def _prepare_records(warehouse: Path, cap: int | None) -> int:
    with duckdb.connect(str(warehouse)) as connection:
        if cap is not None:
            connection.execute(
                f"delete from {SYNC} where record_key not in "
                f"(select record_key from {SYNC} order by hash(record_key) limit {cap})"
            )
        connection.execute("drop schema if exists reverse_etl cascade")
        row = connection.execute(f"select count(*) from {SYNC}").fetchone()
    return int(row[0]) if row else 0


def _change_one_percent(warehouse: Path) -> list[str]:
    """Change one field of 1% of the records; return their keys."""
    with duckdb.connect(str(warehouse)) as connection:
        where = f"hash(record_key) % {CHANGE_SHARE} = 0"
        connection.execute(
            f'update {SYNC} set "{CHANGED_COLUMN}" = coalesce("{CHANGED_COLUMN}", 0) + 1000 '
            f"where {where}"
        )
        rows = connection.execute(f"select record_key from {SYNC} where {where}").fetchall()
    return [row[0] for row in rows]


def _last_run(warehouse: Path) -> dict[str, Any]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(
            "select * from reverse_etl.sync_runs order by started_at desc limit 1"
        )
        columns = [d[0] for d in cursor.description]
        row = cursor.fetchone()
    return {c: v for c, v in zip(columns, row or (), strict=False)}


def _upserts(calls: dict[str, Any]) -> int:
    return sum(
        count for endpoint, count in calls["countsByEndpoint"].items() if "upsert" in endpoint
    )


def run(config: BenchConfig, results: Results) -> None:
    assert config.sync_scale is not None
    folder = config.scale_dir(config.sync_scale)
    warehouse, logs = folder / "warehouse.duckdb", folder / "logs"
    section: dict[str, Any] = results.data["sync"]
    sync_project = _all_contacts_project(folder / "project_sync")
    results.record(
        section,
        "build_sync_model",
        dbt_steps.dbt(
            "sync model (all contacts)",
            sync_project,
            ["run", "--select", SYNC],
            raw=folder / "raw",
            warehouse=warehouse,
            as_of=config.times.time_only_whole,
            log=logs / "sync_model.log",
        ),
    )
    records = _prepare_records(warehouse, config.sync_records)
    results.record(section, "records", records)
    with sandbox.running_sandbox(logs / "sandbox.log") as url:
        env = {
            "WAREHOUSE_PATH": str(warehouse),
            "HUBSPOT_ACCESS_TOKEN": sandbox.TOKEN,
            "HUBSPOT_HOST": url,
        }
        command = [python(), "-m", "audience_warehouse.sync", SYNC]
        initial = run_measured(
            "initial sync", command, env=env, cwd=PROJECT_DIR, log=logs / "sync_initial.log"
        )
        results.record(section, "initial", initial)
        results.record(section, "initial_run", _last_run(warehouse))
        calls_initial = sandbox.calls(url)
        results.record(section, "initial_calls", calls_initial)

        changed = _change_one_percent(warehouse)
        results.record(section, "changed_records", len(changed))
        resync = run_measured(
            "re-sync (1% changed)", command, env=env, cwd=PROJECT_DIR, log=logs / "sync_resync.log"
        )
        results.record(section, "resync", resync)
        run_row = _last_run(warehouse)
        results.record(section, "resync_run", run_row)
        calls_after = sandbox.calls(url)
        upserts = _upserts(calls_after) - _upserts(calls_initial)
        seen = sandbox.read_contacts(url, changed, [CHANGED_COLUMN])
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            wanted = dict(
                connection.execute(
                    f'select record_key, "{CHANGED_COLUMN}" from {SYNC} '
                    f"where hash(record_key) % {CHANGE_SHARE} = 0"
                ).fetchall()
            )
        landed = sum(
            1
            for key, value in wanted.items()
            if str((seen.get(key) or {}).get("properties", {}).get(CHANGED_COLUMN)) == str(value)
        )
        results.record(
            section,
            "resync_check",
            {
                "changed": len(changed),
                "engine_changed": run_row.get("changed"),
                "engine_added": run_row.get("added"),
                "upsert_calls": upserts,
                "upsert_calls_needed": math.ceil(len(changed) / 100),
                "changed_values_in_hubspot": landed,
                "exact": run_row.get("changed") == len(changed)
                and run_row.get("added") == 0
                and upserts == math.ceil(len(changed) / 100)
                and landed == len(changed),
            },
        )
        if config.drt:
            sandbox.reset(url)
            drt_steps.run(config, results, warehouse, url, changed_keys=changed)
