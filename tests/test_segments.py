"""Segments over time: history across runs, time-driven re-evaluation, back-tests, health."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from audience_warehouse import demo_data
from tests.conftest import query

END = date(2026, 11, 20)
T1 = "2026-11-19T23:00:00Z"
T2 = "2026-11-20T23:00:00Z"


@pytest.fixture(scope="module")
def raw_batches(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("raw")
    base, both = root / "base", root / "both"
    demo_data.generate(base, contacts=300, events=30_000, seed=21, end=END, days=120)
    shutil.copytree(base, both)  # with modification times: the refresh reads the increment
    demo_data.generate(
        both, contacts=300, events=30_000, seed=21, end=END, days=120, batch="increment"
    )
    return base, both


def members(warehouse: Path) -> set[tuple[str, str]]:
    return set(query(warehouse, "select segment_name, contact_id from segment_memberships"))


def test_two_runs_record_who_entered_and_left(raw_batches, build, tmp_path) -> None:
    base, both = raw_batches
    raw = tmp_path / "raw"
    raw.symlink_to(base, target_is_directory=True)
    warehouse = tmp_path / "warehouse.duckdb"
    build(raw, warehouse, T1)
    first = members(warehouse)

    raw.unlink()
    raw.symlink_to(both, target_is_directory=True)
    build(raw, warehouse, T2)
    second = members(warehouse)
    entered, left = second - first, first - second
    assert entered and left, "the second run should move some contacts in and out"

    stints = query(
        warehouse,
        "select segment_name, contact_id, entered_at, exited_at from segment_membership_history",
    )
    t1, t2 = (f"{t[:10]} {t[11:19]}" for t in (T1, T2))
    open_stints = {(s, c) for s, c, _, exited in stints if exited is None}
    assert open_stints == second
    assert {(s, c) for s, c, e, _ in stints if str(e) == t2} == entered
    assert {(s, c) for s, c, _, x in stints if str(x) == t2} == left
    assert all(str(e) in (t1, t2) for _, _, e, _ in stints)

    catalog = dict(
        ((name), (entered_count, exited_count))
        for name, entered_count, exited_count in query(
            warehouse,
            "select segment_name, entered_since_last_run, exited_since_last_run from segments",
        )
    )
    for name, (entered_count, exited_count) in catalog.items():
        assert entered_count == sum(1 for s, _ in entered if s == name)
        assert exited_count == sum(1 for s, _ in left if s == name)

    # A full refresh rebuilds from raw data but must not erase history.
    build(raw, warehouse, T2, "--full-refresh")
    assert len(query(warehouse, "select * from segment_membership_history")) == len(stints)


def test_time_alone_moves_contacts(raw_batches, build, tmp_path) -> None:
    """No new data at all: inactive_90d gains contacts and recent_form_fill empties."""
    base, _ = raw_batches
    warehouse = tmp_path / "warehouse.duckdb"
    build(base, warehouse, T1)
    before = members(warehouse)
    later = "2026-12-20T23:00:00Z"
    build(base, warehouse, later)
    after = members(warehouse)

    def of(segment: str, rows: set[tuple[str, str]]) -> set[str]:
        return {c for s, c in rows if s == segment}

    assert of("inactive_90d", after) > of("inactive_90d", before)
    assert of("recent_form_fill", before) and not of("recent_form_fill", after)
    exits = query(
        warehouse,
        "select count(*) from segment_membership_history "
        f"where segment_name = 'recent_form_fill' and exited_at = '{later[:10]} {later[11:19]}'",
    )[0][0]
    assert exits == len(of("recent_form_fill", before))


def test_back_test_reproduces_membership_from_the_same_raw_data(
    raw_batches, build, tmp_path
) -> None:
    """A past as_of over all data equals a build over only the data that existed then."""
    _, both = raw_batches
    past = "2026-11-05T12:00:00"
    full = tmp_path / "full.duckdb"
    build(both, full, T2)
    history_before = query(full, "select count(*) from segment_membership_history")
    build(both, full, past + "Z")
    assert query(full, "select count(*) from segment_membership_history") == history_before

    cut = tmp_path / "cut"
    with duckdb.connect() as connection:
        for table_dir in both.iterdir():
            (cut / table_dir.name).mkdir(parents=True)
            keep = (
                "true"
                if table_dir.name == "crm_contacts"
                else f'"timestamp" <= \'{past}\' or "timestamp" is null'
            )
            connection.execute(
                f"""
                copy (select * from read_parquet('{table_dir}/*.parquet', union_by_name = true)
                      where {keep})
                to '{cut / table_dir.name / "part.parquet"}' (format parquet)
                """
            )
    then = tmp_path / "then.duckdb"
    build(cut, then, past + "Z")
    assert members(full) == members(then)
    assert len(members(then)) > 100


def test_unhealthy_segments_are_flagged_and_warned(raw_batches, build, tmp_path) -> None:
    base, _ = raw_batches
    warehouse = tmp_path / "warehouse.duckdb"
    thresholds = {
        "min_members": 100_000,
        "max_change_pct": 50,
        "max_flapping_share": 0.2,
        "max_stagnant_days": 30,
    }
    output = build(base, warehouse, T1, dbt_vars={"segment_health_defaults": thresholds})
    healthy = query(warehouse, "select segment_name from segments where is_healthy")
    problems = query(
        warehouse, "select problems from segment_health where segment_name = 'inactive_90d'"
    )[0][0]
    # These two may be empty: their definitions override min_members with 0.
    assert sorted(healthy) == [("email_suppressed",), ("paid_enterprise_prospects",)]
    assert problems.startswith("members ") and "< min 100000" in problems
    assert "WARN" in output and "segment_is_healthy_inactive_90d" in output
