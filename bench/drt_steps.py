"""drt-core (PyPI ``drt-core``) against the same HubSpot sandbox, side by side.

drt's own ``hubspot`` destination cannot be pointed at a local server: its base URL is a
module constant (``drt.destinations.hubspot._HUBSPOT_API = "https://api.hubapi.com/..."``,
no config field), and it writes one record per request through the single-object
endpoints (``POST /crm/v3/objects/contacts``, ``PATCH .../{email}?idProperty=email``),
which the sandbox does not serve. So the comparison uses drt's generic ``rest_api``
destination in ``body_mode: batch``, posting 100 records per call to the sandbox's
``batch/upsert`` endpoint: the best drt-core can do against this API without patching
it. Re-sync: ``mode: incremental`` on an ``updated_at`` cursor column (drt's
``incremental_strategy: diff`` needs a source with managed tables, which DuckDB is not).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import requests
import yaml

from bench import sandbox
from bench.config import BenchConfig
from bench.measure import python, run_measured
from bench.results import Results

SOURCE_TABLE = "drt_contacts"
SYNC_NAME = "bench_hubspot_contacts"
BOOKKEEPING = {"record_key", "contact_ids", "segments"}
CHANGED_COLUMN = "aw_sessions_30d"  # the column the sync step changes for 1% of records


def _fields(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute("select * from sync_hubspot_contacts limit 0")
        columns = [d[0] for d in cursor.description]
    return [c for c in columns if c not in BOOKKEEPING and not c.startswith("segment__")]


def _source(warehouse: Path, target: Path, fields: list[str], changed: list[str]) -> None:
    """drt's source: the same records, with an updated_at cursor; the changed 1% get a
    later one after the initial sync (``_touch``)."""
    if target.exists():
        target.unlink()
    with duckdb.connect(str(target)) as connection:
        connection.execute(f"attach '{warehouse}' as w (read_only)")
        columns = ", ".join(f'"{c}"' for c in fields)
        connection.execute(
            f"create table {SOURCE_TABLE} as select record_key, {columns}, "
            f"timestamp '2026-01-01' as updated_at from w.sync_hubspot_contacts"
        )
        # the warehouse already holds the 1% change: start drt from the values before it
        connection.execute("create temp table changed_keys (record_key varchar)")
        connection.executemany("insert into changed_keys values (?)", [(k,) for k in changed])
        connection.execute(
            f'update {SOURCE_TABLE} set "{CHANGED_COLUMN}" = "{CHANGED_COLUMN}" - 1000 '
            f"where record_key in (select record_key from changed_keys)"
        )


def _touch(target: Path, warehouse: Path, changed: list[str]) -> None:
    column = CHANGED_COLUMN
    with duckdb.connect(str(target)) as connection:
        connection.execute(f"attach '{warehouse}' as w (read_only)")
        connection.execute(
            f'update {SOURCE_TABLE} set "{column}" = s."{column}", '
            f"updated_at = timestamp '2026-01-02' from w.sync_hubspot_contacts s "
            f"where {SOURCE_TABLE}.record_key = s.record_key "
            f'and {SOURCE_TABLE}."{column}" is distinct from s."{column}"'
        )


def _batch_template(fields: list[str]) -> str:
    properties = ", ".join(
        f'{json.dumps(f)}: {{{{ (row["{f}"] if row["{f}"] is not none else "") '
        f"| string | tojson }}}}"
        for f in fields
    )
    return (
        '{"inputs": [{% for row in rows %}{"id": {{ row.record_key | tojson }}, '
        '"idProperty": "email", "properties": {"email": {{ row.record_key | tojson }}, '
        + properties
        + "}}{% if not loop.last %}, {% endif %}{% endfor %}]}"
    )


def write_project(folder: Path, source: Path, url: str, fields: list[str]) -> None:
    (folder / "syncs").mkdir(parents=True, exist_ok=True)
    (folder / "home" / ".drt").mkdir(parents=True, exist_ok=True)
    (folder / "drt_project.yml").write_text(
        yaml.safe_dump({"name": "bench", "version": "0.1", "profile": "bench"})
    )
    (folder / "home" / ".drt" / "profiles.yml").write_text(
        yaml.safe_dump({"bench": {"type": "duckdb", "database": str(source)}})
    )
    sync = {
        "name": SYNC_NAME,
        "description": "The HubSpot contacts sync, through drt's generic REST destination",
        "model": f"select * from {SOURCE_TABLE}",
        "destination": {
            "type": "rest_api",
            "url": f"{url}/crm/v3/objects/contacts/batch/upsert",
            "method": "POST",
            "headers": {"Content-Type": "application/json"},
            "body_mode": "batch",
            "batch_template": _batch_template(fields),
            "max_records_per_request": 100,
            "auth": {"type": "bearer", "token_env": "HUBSPOT_TOKEN"},
            "rate_limit": {
                "requests_per_second": sandbox.RATE_LIMIT[0] / sandbox.RATE_LIMIT[1],
                "burst": sandbox.RATE_LIMIT[0],
            },
        },
        "sync": {
            "mode": "incremental",
            "cursor_field": "updated_at",
            "batch_size": 1000,
            "on_error": "fail",
        },
    }
    (folder / "syncs" / f"{SYNC_NAME}.yml").write_text(yaml.safe_dump(sync, sort_keys=False))


def _create_properties(url: str, fields: list[str]) -> None:
    headers = {"Authorization": f"Bearer {sandbox.TOKEN}"}
    for name in fields:
        if not name.startswith("aw_"):
            continue
        body = {
            "name": name,
            "label": name,
            "type": "string",
            "fieldType": "text",
            "groupName": "contactinformation",
        }
        response = requests.post(
            f"{url}/crm/v3/properties/contacts", json=body, headers=headers, timeout=30
        )
        if response.status_code not in (201, 409):
            response.raise_for_status()


def run(
    config: BenchConfig, results: Results, warehouse: Path, url: str, *, changed_keys: list[str]
) -> None:
    folder = warehouse.parent / "drt"
    logs = warehouse.parent / "logs"
    section: dict[str, Any] = results.data["drt"]
    fields = _fields(warehouse)
    source = folder / "source.duckdb"
    if folder.exists():  # drt keeps cursors in .drt/: every benchmark starts from none
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    _source(warehouse, source, fields, changed_keys)
    write_project(folder, source, url, fields)
    _create_properties(url, fields)
    env = {
        "HOME": str(folder / "home"),
        "HUBSPOT_TOKEN": sandbox.TOKEN,
        "NO_COLOR": "1",
        "DRT_NO_TELEMETRY": "1",
        "DO_NOT_TRACK": "1",
    }
    command = [str(Path(python()).parent / "drt"), "run", "--select", SYNC_NAME]
    calls_before = sandbox.calls(url)
    initial = run_measured(
        "drt-core initial sync", command, env=env, cwd=folder, log=logs / "drt_initial.log"
    )
    results.record(section, "initial", initial)
    calls_initial = sandbox.calls(url)
    results.record(section, "initial_calls", calls_initial)
    _touch(source, warehouse, changed_keys)
    resync = run_measured(
        "drt-core re-sync", command, env=env, cwd=folder, log=logs / "drt_resync.log"
    )
    results.record(section, "resync", resync)
    calls_after = sandbox.calls(url)
    results.record(section, "resync_calls", calls_after)
    upserts = calls_after["countsByEndpoint"]
    before = calls_initial["countsByEndpoint"]
    results.record(
        section,
        "summary",
        {
            "records": _count(source),
            "changed": len(changed_keys),
            "initial_upsert_calls": _upsert_count(before)
            - _upsert_count(calls_before["countsByEndpoint"]),
            "resync_upsert_calls": _upsert_count(upserts) - _upsert_count(before),
            "statuses": calls_after["countsByStatus"],
        },
    )


def _upsert_count(counts: dict[str, int]) -> int:
    return sum(v for k, v in counts.items() if "upsert" in k)


def _count(source: Path) -> int:
    with duckdb.connect(str(source), read_only=True) as connection:
        row = connection.execute(f"select count(*) from {SOURCE_TABLE}").fetchone()
    return int(row[0]) if row else 0
