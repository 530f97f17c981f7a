"""Contract checks on a full build: nothing lost, optional tables, clear errors."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from audience_warehouse import demo_data
from audience_warehouse.dbt_runner import TIME_ONLY_SELECTOR, DbtError, run_dbt
from audience_warehouse.settings import PROJECT_DIR, Settings
from bench.runner import SEGMENT_SELECTOR
from tests.conftest import query

END = date(2026, 11, 20)
AS_OF = "2026-11-19T23:00:00Z"
EVENT_TABLES = ["pages", "tracks", "identifies", *demo_data.EVENT_TABLES]


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw") / "raw"
    demo_data.generate(folder, contacts=200, events=20_000, seed=5, end=END, days=45)
    return folder


def test_every_raw_row_is_staged_quarantined_or_a_duplicate(raw, build, tmp_path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    build(raw, warehouse, AS_OF)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        quarantined_total = 0
        for table in EVENT_TABLES:
            source = f"read_parquet('{raw}/{table}/*.parquet', union_by_name = true)"
            valid_ids, invalid_rows = connection.execute(
                f"""
                select
                    count(distinct id) filter (where
                        nullif(id, '') is not null
                        and coalesce(nullif(anonymous_id, ''), nullif(user_id, '')) is not null
                        and "timestamp" is not null
                        and "timestamp" <= received_at + interval 1 day),
                    count(distinct to_json(s)) filter (where not (
                        nullif(id, '') is not null
                        and coalesce(nullif(anonymous_id, ''), nullif(user_id, '')) is not null
                        and "timestamp" is not null
                        and "timestamp" <= received_at + interval 1 day))
                from {source} as s
                """
            ).fetchone()
            staged = connection.execute(f"select count(*) from stg_segment__{table}").fetchone()[0]
            quarantined = connection.execute(
                "select count(*) from quarantined_events where source_table = ?", [table]
            ).fetchone()[0]
            assert staged == valid_ids, table
            assert quarantined == invalid_rows, table
            quarantined_total += quarantined
    assert quarantined_total > 0, "the demo data should carry rows to quarantine"


def test_contact_features_has_one_row_per_known_contact(raw, build, tmp_path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    build(raw, warehouse, AS_OF)
    known = query(
        warehouse,
        f"""
        select count(distinct user_id) from int_events_unioned
        where user_id is not null and occurred_at <= timestamp '{AS_OF[:-1]}'
        """,
    )[0][0]
    rows, distinct = query(
        warehouse, "select count(*), count(distinct contact_id) from contact_features"
    )[0]
    assert rows == distinct == known > 0


def test_missing_optional_tables_build_with_zero_features(raw, build, tmp_path) -> None:
    trimmed = tmp_path / "raw"
    shutil.copytree(raw, trimmed)
    for table in ("video_content_playing", "order_completed", "crm_contacts"):
        shutil.rmtree(trimmed / table)
    warehouse = tmp_path / "warehouse.duckdb"
    build(trimmed, warehouse, AS_OF)
    orders, videos, crm = query(
        warehouse,
        """
        select sum(orders_90d), count(max_video_watch_ratio_90d), count(crm_contact_id)
        from contact_features
        """,
    )[0]
    assert (orders, videos, crm) == (0, 0, 0)


def test_missing_required_table_is_a_clear_error(raw, build, tmp_path) -> None:
    trimmed = tmp_path / "raw"
    shutil.copytree(raw, trimmed)
    shutil.rmtree(trimmed / "identifies")
    with pytest.raises(DbtError, match="Required raw table 'identifies' has no Parquet files"):
        build(trimmed, tmp_path / "warehouse.duckdb", AS_OF, "--select", "stg_segment__identifies")


def test_invalid_as_of_is_a_clear_error(raw, build, tmp_path) -> None:
    with pytest.raises(DbtError, match="is not an ISO-8601 timestamp"):
        build(raw, tmp_path / "warehouse.duckdb", "next tuesday", "--select", "contact_features")


def test_as_of_from_the_environment(raw, tmp_path) -> None:
    """AW_AS_OF fixes the clock without --vars (which would make dbt re-parse everything)."""
    settings = Settings(project_dir=PROJECT_DIR, raw_data_path=raw, warehouse_path=tmp_path / "w")
    with pytest.raises(DbtError, match=r"'next tuesday' \(var as_of or AW_AS_OF\) is not an ISO"):
        run_dbt(
            ["build", "--select", "contact_features", "--exclude-resource-type", "unit_test"],
            settings,
            target_path=tmp_path / "target",
            capture=True,
            extra_env={"AW_AS_OF": "next tuesday"},
        )


def test_unusable_crm_rows_are_quarantined_not_dropped(raw, build, tmp_path) -> None:
    extended = tmp_path / "raw"
    shutil.copytree(raw, extended)
    with duckdb.connect() as connection:
        connection.execute(
            f"""
            copy (
                with two as (
                    select *, row_number() over (order by crm_contact_id) as n
                    from read_parquet('{raw}/crm_contacts/*.parquet')
                    where email is not null
                    qualify n <= 2
                )
                select * exclude (n) replace (
                    case when n = 1 then null else crm_contact_id end as crm_contact_id,
                    case when n = 2 then '   ' else email end as email
                )
                from two
            ) to '{extended}/crm_contacts/broken.parquet' (format parquet)
            """
        )
    warehouse = tmp_path / "warehouse.duckdb"
    build(extended, warehouse, AS_OF)
    assert sorted(query(warehouse, "select quarantine_reason from quarantined_crm_contacts")) == [
        ("missing_crm_contact_id",),
        ("missing_email",),
    ]


def test_counts_are_32_bit_integers(synced_warehouse) -> None:
    """Every count (per actor and day, summed over days, per window, sessions) is an
    INTEGER, as its daily count is: DuckDB's sum of integers is a 128-bit HUGEINT, which
    Arrow (and so BI tools reading through it) receives as decimal128(38, 0). The only
    wider integers are counts of days and the days since the last action."""
    types = {
        (table, column): data_type
        for table, column, data_type in query(
            synced_warehouse,
            """
            select table_name, column_name, data_type from information_schema.columns
            where table_name in (
                'int_actor_activity_rolled_up',
                'int_contact_activity_accumulated',
                'int_contact_activity_summarized',
                'contact_features'
            )
            """,
        )
    }
    wider = sorted(key for key, data_type in types.items() if data_type in ("BIGINT", "HUGEINT"))
    assert wider == [
        ("contact_features", "days_since_last_action"),
        ("int_contact_activity_accumulated", "actor_days"),
        ("int_contact_activity_summarized", "active_days"),
    ]
    assert types[("int_actor_activity_rolled_up", "page_views")] == "INTEGER"
    assert types[("int_contact_activity_accumulated", "page_views")] == "INTEGER"
    assert types[("int_contact_activity_summarized", "page_views_7d")] == "INTEGER"
    assert types[("contact_features", "user_actions_lifetime")] == "INTEGER"
    assert types[("contact_features", "sessions_30d")] == "INTEGER"


def _compressions(warehouse: Path, table: str) -> set[str]:
    """The compression of every stored data segment of `table` (validity masks aside)."""
    rows = query(
        warehouse,
        f"select distinct compression from pragma_storage_info('{table}') "
        "where segment_type <> 'VALIDITY'",
    )
    return {compression for (compression,) in rows}


def _flagged_tables(synced_warehouse: Path) -> set[str]:
    """The models whose meta sets store_uncompressed, from the build's manifest."""
    manifest = json.loads((synced_warehouse.parent / "target" / "manifest.json").read_text())
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["meta"].get("store_uncompressed")
    }


def test_tables_flagged_store_uncompressed_keep_no_compressed_segment(synced_warehouse) -> None:
    """Every model whose meta sets store_uncompressed (duckdb__create_table_as) is stored
    uncompressed (an all-equal segment is still a constant); the others keep DuckDB's
    compression: staging, written once and read by every run, and the segment and sync
    tables, which a segment change rewrites."""
    flagged = _flagged_tables(synced_warehouse)
    assert "contact_features" in flagged
    for table in sorted(flagged):
        compressions = _compressions(synced_warehouse, table)
        assert "Uncompressed" in compressions, table
        assert compressions <= {"Uncompressed", "Constant"}, table
    for table in ["stg_segment__pages", "cart_abandoners", "sync_hubspot_contacts"]:
        assert _compressions(synced_warehouse, table) - {"Uncompressed", "Constant"}, table


def test_store_uncompressed_marks_the_tables_time_rewrites_outside_segments(
    synced_warehouse,
) -> None:
    """The rule behind store_uncompressed, from dbt's own selection: the flagged models are
    exactly the table models a time-only run rebuilds (TIME_ONLY_SELECTOR) that the
    benchmark's segment steps do not (SEGMENT_SELECTOR: the segments, memberships and
    syncs, kept compressed)."""
    settings = Settings(
        project_dir=PROJECT_DIR,
        raw_data_path=synced_warehouse.parent / "raw",
        warehouse_path=synced_warehouse,
    )
    listed = run_dbt(
        [
            "--quiet",
            "ls",
            "--resource-type",
            "model",
            "--select",
            f"{TIME_ONLY_SELECTOR},config.materialized:table",
            "--exclude",
            SEGMENT_SELECTOR,
            "--output",
            "name",
        ],
        settings,
        dbt_vars={"as_of": AS_OF},
        target_path=synced_warehouse.parent / "target",
        capture=True,
    )
    rewritten_by_time_alone = {line.strip() for line in listed.splitlines() if line.strip()}
    assert "contact_features" in rewritten_by_time_alone
    assert sorted(_flagged_tables(synced_warehouse)) == sorted(rewritten_by_time_alone)
