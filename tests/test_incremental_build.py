"""The incremental build gives exactly what a full rebuild gives on the same data.

Snowplow-style: build on generated data, land a new batch (new day, late-arriving rows for
earlier days, duplicate message ids, identifies that link earlier anonymous visitors),
refresh incrementally, and compare every table with a full rebuild of a fresh warehouse.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from audience_warehouse import demo_data
from audience_warehouse.dbt_runner import TIME_ONLY_SELECTOR, DbtError, run_dbt
from audience_warehouse.settings import PROJECT_DIR, Settings

END = date(2026, 11, 20)
FIRST_AS_OF = "2026-11-19T23:00:00Z"
SECOND_AS_OF = "2026-11-20T23:00:00Z"
LATER_AS_OF = "2026-11-24T06:00:00Z"

COMPARED_TABLES = [
    "stg_segment__pages",
    "stg_segment__tracks",
    "stg_segment__identifies",
    "stg_segment__order_completed",
    "stg_segment__video_content_playing",
    "quarantined_events",
    "int_identity_links_rolled_up",
    "int_actor_activity_rolled_up",
    "int_anonymous_ids_mapped_to_contacts",
    "int_anonymous_ids_mapped_to_contacts_latest",
    "int_contacts_identified",
    "int_actor_activity_resolved_to_contacts",
    "int_contact_actions_sessionized",
    "int_actor_sessions_detected",
    "int_session_starts_detected",
    "int_contact_activity_accumulated",
    "int_contact_activity_summarized",
    "contact_features",
    "int_contact_emails_ranked",
    "contact_emails",
]

# State kept across runs may hold rows that only say "no longer": compare the live rows.
COMPARED_ROWS = {
    "int_actor_sessions_detected": "is_session_start",
    "int_session_starts_detected": "is_session_start",
    "int_contact_activity_accumulated": "actor_days > 0",
    "int_contact_activity_summarized": "active_days > 0",
    "int_contact_emails_ranked": "email_id is not null",
}


# When a row was (re)written, and whether a day was read from stored state, differ by
# design between an incremental run and a rebuild (or between the state modes).
PROVENANCE_COLUMNS = {"dbt_loaded_at", "summarized_before", "evaluated_as_of", "is_stored_day"}
# Which invocation evaluated the segments, and when by the wall clock (segment_runs).
RUN_COLUMNS = {"invocation_id", "evaluated_at"}


def table_difference(left: Path, right: Path, table: str) -> tuple[int, int, int]:
    """(rows only in left, rows only in right, rows in left) for one table, as multisets."""
    where = f"where {COMPARED_ROWS[table]}" if table in COMPARED_ROWS else ""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as l (read_only)")
        connection.execute(f"attach '{right}' as r (read_only)")
        names = [
            row[0]
            for row in connection.execute(
                "select column_name from information_schema.columns"
                " where table_catalog = 'l' and table_schema = 'main' and table_name = ?"
                " order by ordinal_position",
                [table],
            ).fetchall()
            if row[0] not in PROVENANCE_COLUMNS | RUN_COLUMNS
        ]
        columns = ", ".join(f'"{name}"' for name in names)
        lrows, rrows = (
            f"(select {columns} from l.{table} {where})",
            f"(select {columns} from r.{table} {where})",
        )
        only_left = connection.execute(
            f"select count(*) from (select * from {lrows} except all select * from {rrows})"
        ).fetchone()[0]
        only_right = connection.execute(
            f"select count(*) from (select * from {rrows} except all select * from {lrows})"
        ).fetchone()[0]
        rows = connection.execute(f"select count(*) from {lrows}").fetchone()[0]
    return only_left, only_right, rows


def assert_same_tables(
    incremental: Path,
    full: Path,
    tables: list[str] = COMPARED_TABLES,
    what: str = "incremental != full rebuild",
) -> None:
    differences = {}
    for table in tables:
        only_incremental, only_full, rows = table_difference(incremental, full, table)
        assert rows > 0, f"{table} is empty: the comparison would prove nothing"
        if only_incremental or only_full:
            differences[table] = (only_incremental, only_full)
    assert not differences, f"{what} (rows only in each): {differences}"


@pytest.fixture(scope="module")
def raw_batches(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The base batch alone, and the base plus the next day's increment. The base files
    are copied with their modification times, as a loader that only adds files leaves
    them: a refresh reads the increment's files alone (raw_files_loaded)."""
    root = tmp_path_factory.mktemp("raw")
    base, both = root / "base", root / "both"
    demo_data.generate(base, contacts=300, events=40_000, seed=11, end=END, days=60)
    shutil.copytree(base, both)
    demo_data.generate(
        both, contacts=300, events=40_000, seed=11, end=END, days=60, batch="increment"
    )
    return base, both


def refresh_and_rebuild(
    raw_batches: tuple[Path, Path],
    build,
    tmp_path: Path,
    *refresh_args: str,
    before_refresh: Callable[[Path], None] | None = None,
) -> tuple[Path, Path]:
    """Builds the base batch, then refreshes with the increment (`dbt build *refresh_args`),
    and rebuilds from scratch on the same data; asserts both give the same tables.
    `before_refresh(warehouse)` runs between the first build and the refresh.
    Returns the raw folder (now base + increment) and the refreshed warehouse."""
    base, both = raw_batches
    raw = tmp_path / "raw"
    raw.symlink_to(base, target_is_directory=True)
    incremental = tmp_path / "incremental.duckdb"
    build(raw, incremental, FIRST_AS_OF)
    if before_refresh is not None:
        before_refresh(incremental)

    raw.unlink()
    raw.symlink_to(both, target_is_directory=True)
    build(raw, incremental, SECOND_AS_OF, *refresh_args)

    full = tmp_path / "full.duckdb"
    build(raw, full, SECOND_AS_OF)
    assert_same_tables(incremental, full)
    return raw, incremental


def test_incremental_refresh_equals_full_rebuild(raw_batches, build, tmp_path: Path) -> None:
    raw, incremental = refresh_and_rebuild(raw_batches, build, tmp_path)

    # Time passes with no new data: time-driven features move, still equal to a rebuild.
    build(raw, incremental, LATER_AS_OF)
    later_full = tmp_path / "later_full.duckdb"
    build(raw, later_full, LATER_AS_OF)
    assert_same_tables(incremental, later_full)


def main_tables(warehouse: Path) -> list[str]:
    """Every table of the main schema that has rows."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        names = connection.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by 1"
        ).fetchall()
        return [
            name
            for (name,) in names
            if connection.execute(f"select count(*) from main.{name}").fetchone()[0] > 0
        ]


def models_reading_as_of(manifest: dict) -> set[str]:
    """Models whose macros reach get_as_of, directly or through other macros. From the
    manifest a build writes: it records the macros each model called when it ran, which a
    parse alone misses where a call is made only at execution."""
    readers = {"macro.audience_warehouse.get_as_of"}
    while callers := {
        name
        for name, macro in manifest["macros"].items()
        if name not in readers and readers & set(macro["depends_on"]["macros"])
    }:
        readers |= callers
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and readers & set(node["depends_on"]["macros"])
    }


def test_time_only_run_equals_whole_build(raw_batches, build, tmp_path: Path) -> None:
    """With no raw file new since the last build, a scheduled run builds only the models
    tagged as_of and what is downstream of them (TIME_ONLY_SELECTOR): the others' tables
    cannot change. Every table, history, catalog and sync models included, must equal
    what a build of the whole project gives at the same as_of; and the tag must mark
    exactly the models that read as_of."""
    _, both = raw_batches
    selected, whole = tmp_path / "selected.duckdb", tmp_path / "whole.duckdb"
    build(both, selected, SECOND_AS_OF)
    shutil.copyfile(selected, whole)
    output = build(both, selected, LATER_AS_OF, "--select", TIME_ONLY_SELECTOR)
    assert "stg_segment__pages" not in output, "a time-only run should not start staging"
    build(both, whole, LATER_AS_OF)
    tables = main_tables(whole)
    assert {"segment_membership_history", "segments", "sync_hubspot_contacts"} <= set(tables)
    assert_same_tables(selected, whole, tables, "time-only run != whole build")

    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    tagged = {node["name"] for node in models if "as_of" in node["tags"]}
    reading = models_reading_as_of(manifest)
    assert not reading - tagged, (
        f"models read as_of without the tag (a time-only run may skip them): "
        f"{sorted(reading - tagged)}; add `config: {{tags: [as_of]}}` in their yml"
    )
    assert not tagged - reading, f"tagged as_of but do not read it: {sorted(tagged - reading)}"


def test_accumulation_run_without_its_changed_days_equals_full_rebuild(
    raw_batches, build, tmp_path: Path
) -> None:
    """int_contact_days_changed holds what changed since the accumulation's last run, so
    it is only right when built in the same invocation. A refresh that leaves it out
    (`--exclude`, `dbt retry` after the accumulation failed) finds the same days inline;
    read, its stale table (the first build's: empty) would recombine nothing."""
    refresh_and_rebuild(raw_batches, build, tmp_path, "--exclude", "int_contact_days_changed")


def test_refresh_of_a_warehouse_without_raw_file_manifests_equals_full_rebuild(
    raw_batches, build, tmp_path: Path
) -> None:
    """A warehouse built before staging recorded the raw files it read has no
    main_raw_files_loaded schema: its next refresh reads lookback_days of rows by
    received_at, as incremental runs did before, records every file, and must still equal
    a rebuild."""

    def drop_manifests(warehouse: Path) -> None:
        with duckdb.connect(str(warehouse)) as connection:
            connection.execute("drop schema main_raw_files_loaded cascade")

    refresh_and_rebuild(raw_batches, build, tmp_path, before_refresh=drop_manifests)
    with duckdb.connect(str(tmp_path / "incremental.duckdb"), read_only=True) as connection:
        recorded = connection.execute(
            "select file_name from main_raw_files_loaded.files_read_by_stg_segment__pages"
        ).fetchall()
    assert sorted(recorded) == [("base.parquet",), ("increment-2026-11-20.parquet",)]


# Tables that depend on as_of, compared between the two ways of computing them.
AS_OF_TABLES = [
    "int_anonymous_ids_mapped_to_contacts",
    "int_contacts_identified",
    "int_actor_activity_resolved_to_contacts",
    "int_contact_actions_sessionized",
    "contact_features",
    "segment_memberships",
]


def test_state_patched_for_links_after_as_of_equals_as_of_path(
    raw_batches, build, tmp_path: Path
) -> None:
    """At SECOND_AS_OF the increment holds identity links after as_of. The default reads
    the stored state and recomputes only the contacts those links touch; the result must
    equal computing every contact from the rollups at as_of."""
    _, both = raw_batches
    patched, full_path = tmp_path / "patched.duckdb", tmp_path / "full_path.duckdb"
    build(both, patched, SECOND_AS_OF)
    build(both, full_path, SECOND_AS_OF, dbt_vars={"reuse_state_with_later_links": False})
    with duckdb.connect(str(patched), read_only=True) as connection:
        relinked = connection.execute(
            "select count(distinct contact_id) from int_actors_relinked_after_as_of"
        ).fetchone()[0]
        contacts = connection.execute("select count(*) from contact_features").fetchone()[0]
    assert 0 < relinked < contacts, "some, not all, contacts should be touched by later links"
    assert_same_tables(patched, full_path, AS_OF_TABLES, "patched != as_of path")


# Per-contact state kept at as_of (each row stamped with the as_of it was computed at).
STATE_AT_AS_OF_TABLES = [
    "int_contact_emails_ranked",
    "contact_emails",
    "int_contacts_identified",
    "contact_features",
    "int_segment_members_unioned",  # (segment_memberships' entered_at comes from history)
]


def add_probe_linked_between(raw: Path, before: str, linked_at: str) -> None:
    """An anonymous device that got an email and identified itself 5 days before
    `before`, and is linked to a new user only at `linked_at`: its rows belong to that
    user once as_of passes the link, with no email or identify in between (only the
    state models' "link in the time moved past" path finds it)."""
    earlier = f"'{before}'::timestamp - interval 5 day"
    rows = {
        "identifies": {
            "anonymous_id": "'a_probe'",
            "user_id": "null",
            "timestamp": earlier,
            "email": "'probe@example.com'",
            "first_name": "'Probe'",
        },
        "email_delivered": {
            "anonymous_id": "'a_probe'",
            "user_id": "null",
            "timestamp": earlier,
            "email_id": "'probe-email'",
        },
        "pages": {
            "anonymous_id": "'a_probe'",
            "user_id": "'u_probe'",
            "timestamp": f"'{linked_at}'::timestamp",
        },
    }
    with duckdb.connect() as connection:
        for table, columns in rows.items():
            columns = {**columns, "id": f"'probe-{table}'", "received_at": columns["timestamp"]}
            replace = ", ".join(f"{value} as {name}" for name, value in columns.items())
            connection.execute(
                f"""
                copy (
                    select * replace ({replace})
                    from read_parquet('{raw}/{table}/*.parquet', union_by_name = true)
                    limit 1
                ) to '{raw}/{table}/probe.parquet' (format parquet)
                """
            )


def feature_windows() -> list[int]:
    """var('feature_windows_days') of dbt_project.yml."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return [int(days) for days in project["vars"]["feature_windows_days"]]


def test_as_of_moving_through_the_data_equals_rebuild(raw_batches, build, tmp_path: Path) -> None:
    """With no new data, as_of moves forward past email events, identifies and a link of
    an anonymous device with an email and traits of its own (only time brings them in),
    then back (every contact recomputed); each time the state kept at as_of must equal a
    rebuild at that as_of."""
    _, both = raw_batches
    start, forward, back = "2026-11-10T12:00:00Z", "2026-11-13T18:00:00Z", "2026-11-11T06:00:00Z"
    raw = tmp_path / "raw"
    shutil.copytree(both, raw)
    add_probe_linked_between(raw, start[:10], "2026-11-12 09:00:00")
    with duckdb.connect() as connection:
        moved_past = connection.execute(
            f"""
            select count(*) from read_parquet(
                ['{raw}/email_delivered/*.parquet', '{raw}/identifies/*.parquet'],
                union_by_name = true
            )
            where "timestamp" > '{start}'::timestamptz and "timestamp" <= '{forward}'::timestamptz
            """
        ).fetchone()[0]
    assert moved_past > 0, "as_of should move past some email deliveries and identifies"
    incremental = tmp_path / "incremental.duckdb"
    build(raw, incremental, start)
    for as_of in (forward, back):
        build(raw, incremental, as_of)
        rebuilt = tmp_path / f"rebuilt_{as_of[:10]}.duckdb"
        build(raw, rebuilt, as_of)
        assert_same_tables(incremental, rebuilt, STATE_AT_AS_OF_TABLES, f"at {as_of}")
        if as_of == forward:
            with duckdb.connect(str(incremental), read_only=True) as connection:
                # the summary's shift re-takes a windowed maximum when a day leaving its
                # window held a value: the move must give it one to re-take
                leaving_maxima = connection.execute(
                    f"""
                    select count(*)
                    from int_contact_activity_accumulated, unnest({feature_windows()}) as w(n)
                    where
                        max_video_watch_ratio is not null
                        and activity_date >= date '{start[:10]}' - n + 1
                        and activity_date <= least(
                            date '{forward[:10]}' - n, date '{start[:10]}' - 1
                        )
                    """
                ).fetchone()[0]
            assert leaving_maxima > 0, "a day holding a video watch ratio should leave a window"
            with duckdb.connect(str(rebuilt), read_only=True) as connection:
                probe = connection.execute(
                    "select email from int_contacts_identified where contact_id = 'u_probe'"
                    " union all select email_id from contact_emails where contact_id = 'u_probe'"
                ).fetchall()
            assert sorted(probe) == [("probe-email",), ("probe@example.com",)], probe


SLICED_MODELS = [
    "int_actor_activity_rolled_up",
    "int_identity_links_rolled_up",
    "int_contact_activity_accumulated",
    "int_contact_activity_summarized",
]


def slice_markers(tmp_path: Path) -> dict[str, int]:
    """Per sliced model, the slice markers in the SQL the last build ran."""
    run = tmp_path / "target" / "run"
    return {
        model: next(run.rglob(f"{model}.sql")).read_text().count("/* remaining slices: ")
        for model in SLICED_MODELS
    }


def test_full_build_in_slices_equals_one_statement(raw_batches, build, tmp_path: Path) -> None:
    """A full build aggregates the rollups and the accumulation a slice of days at a time
    and the summary a bucket of contacts at a time (full_build_slices), one statement
    each; the tables must equal those of one statement over everything."""
    _, both = raw_batches
    sliced, whole = tmp_path / "sliced.duckdb", tmp_path / "whole.duckdb"
    selection = ("--select", "+int_contact_activity_summarized")
    selection += ("--exclude-resource-type", "test", "unit_test")
    build(both, sliced, SECOND_AS_OF, *selection)
    assert slice_markers(tmp_path) == dict.fromkeys(SLICED_MODELS, 1), "not built in slices"
    one_statement = {"full_build_slice_days": 100_000, "full_build_key_slices": 1}
    build(both, whole, SECOND_AS_OF, *selection, dbt_vars=one_statement)
    assert slice_markers(tmp_path) == dict.fromkeys(SLICED_MODELS, 0), "not one statement"
    assert_same_tables(sliced, whole, SLICED_MODELS, "sliced full build != one statement")


def test_increment_really_changes_history(raw_batches, build, tmp_path: Path) -> None:
    """Guard for the test above: the increment must touch earlier days and identities."""
    base, both = raw_batches
    before, after = tmp_path / "before.duckdb", tmp_path / "after.duckdb"
    build(base, before, SECOND_AS_OF)
    build(both, after, SECOND_AS_OF)
    changed_days = table_difference(after, before, "int_actor_activity_rolled_up")[0]
    changed_links = table_difference(after, before, "int_anonymous_ids_mapped_to_contacts")[0]
    with duckdb.connect() as connection:
        connection.execute(f"attach '{after}' as a (read_only)")
        late_rows = connection.execute(
            f"""
            select count(*) from a.stg_segment__pages
            where received_at >= '{END}' and occurred_at < '{END}'
            """
        ).fetchone()[0]
    assert changed_days > 0
    assert changed_links > 0, "the increment should link some earlier anonymous visitors"
    assert late_rows > 0, "the increment should carry late-arriving rows for earlier days"


def compiled_sql(tmp_path: Path, model: str) -> str:
    """The select the last build compiled for `model`."""
    return next((tmp_path / "target" / "compiled").rglob(f"{model}.sql")).read_text()


@pytest.mark.parametrize("loaded_without_hashes", [False, True], ids=["hashed", "legacy"])
def test_staging_refresh_keeps_the_first_received_copy(
    raw_batches, build, tmp_path: Path, loaded_without_hashes: bool
) -> None:
    """keep_first_received's incremental paths, on one landed file:
    - a copy received earlier than the loaded one replaces it, both for a recent row and
      for one received weeks ago (delete+insert looks for the replaced copy among the
      rows received since the earliest row written);
    - a copy re-sent weeks after the loaded one is dropped by the all-history check
      (outside the dedupe window, through event_id_hash);
    - new ids are written, also one received weeks before the newest loaded row (a load
      that lands late: its file is new, so it is read whole).
    Then the landed file is rewritten with one more row (only that row is added), and a
    run with no new file reads none. `legacy`: the loaded table predates event_id_hash
    (the column is dropped), so the all-history check must compare the ids themselves."""
    base, _ = raw_batches
    raw = tmp_path / "raw"
    shutil.copytree(base, raw)
    warehouse = tmp_path / "warehouse.duckdb"
    build(raw, warehouse, FIRST_AS_OF, "--select", "stg_segment__pages")
    staged = "select event_id, received_at from stg_segment__pages"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        before = dict(connection.execute(staged).fetchall())
        newest = max(before.values())
        old_rows = f"({staged}) where received_at < '{newest}'::timestamp - interval 20 day"
        recent = connection.execute(
            f"select min(event_id) from ({staged}) where received_at between "
            f"'{newest}'::timestamp - interval 1 day and '{newest}'::timestamp - interval 1 hour"
        ).fetchone()[0]
        old, old_replaced = connection.execute(
            f"select min(event_id), max(event_id) from {old_rows}"
        ).fetchone()
    if loaded_without_hashes:
        with duckdb.connect(str(warehouse)) as connection:
            connection.execute("alter table stg_segment__pages drop column event_id_hash")
    pages = f"read_parquet('{base}/pages/*.parquet', union_by_name = true)"

    def copy_of(event_id: str, replace: str) -> str:
        return (
            f"select * replace ({replace}) from {pages}"
            f" where id = '{event_id}' and received_at = '{before[event_id]}'"
        )

    landed = [
        copy_of(recent, "received_at - interval 30 minute as received_at"),
        copy_of(old_replaced, "received_at - interval 30 minute as received_at"),
        copy_of(old, f"'{newest}'::timestamp + interval 1 hour as received_at"),
        copy_of(old, f"'landed-new' as id, '{newest}'::timestamp + interval 1 hour as received_at"),
        copy_of(old, "'landed-late' as id"),
    ]

    def land(rows: list[str]) -> None:
        with duckdb.connect() as connection:
            connection.execute(
                f"copy ({' union all '.join(rows)}) to '{tmp_path}/landed.parquet' (format parquet)"
            )
        shutil.move(tmp_path / "landed.parquet", raw / "pages" / "landed.parquet")

    land(landed)
    build(raw, warehouse, SECOND_AS_OF, "--select", "stg_segment__pages")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        after = connection.execute(staged).fetchall()
    received = {event_id: [r for e, r in after if e == event_id] for event_id in before}
    assert received[recent] == [before[recent] - timedelta(minutes=30)]
    assert received[old_replaced] == [before[old_replaced] - timedelta(minutes=30)]
    assert received[old] == [before[old]]
    assert [e for e, _ in after].count("landed-new") == 1
    assert [e for e, _ in after].count("landed-late") == 1
    assert len(after) == len(before) + 2

    land([*landed, copy_of(old, "'landed-rewritten' as id")])
    build(raw, warehouse, SECOND_AS_OF, "--select", "stg_segment__pages")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rewritten = connection.execute(staged).fetchall()
    assert sorted(rewritten) == sorted([*after, ("landed-rewritten", before[old])])

    build(raw, warehouse, SECOND_AS_OF, "--select", "stg_segment__pages")
    assert '"files": []' in compiled_sql(tmp_path, "stg_segment__pages"), "a file was read again"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert sorted(connection.execute(staged).fetchall()) == sorted(rewritten)
        unhashed = connection.execute(
            "select count(*) from stg_segment__pages where event_id_hash is null"
        ).fetchone()[0]
    # the appended column is empty on the old rows only: later runs keep comparing ids
    assert (unhashed > 0) == loaded_without_hashes


@pytest.mark.parametrize("later_load", [True, False], ids=["later_load", "same_load"])
@pytest.mark.parametrize("through_hash", [True, False], ids=["hashed", "legacy"])
def test_id_test_catches_an_id_written_twice(
    raw_batches, build, tmp_path: Path, through_hash: bool, later_load: bool
) -> None:
    """unique_since_last_load checks the ids the latest load wrote against every loaded
    row: through event_id_hash when it is filled on every row (`hashed`), else on the
    ids themselves (`legacy`: one row's hash is emptied). An id written again fails it
    either way, whether a later load wrote the copy (`later_load`) or the table holds one
    load only, as after a full build (`same_load`: every id is checked)."""
    base, _ = raw_batches
    warehouse = tmp_path / "warehouse.duckdb"
    build(base, warehouse, FIRST_AS_OF, "--select", "stg_segment__pages")
    settings = Settings(project_dir=PROJECT_DIR, raw_data_path=base, warehouse_path=warehouse)

    def id_tests() -> str:
        return run_dbt(
            ["test", "--select", "stg_segment__pages,test_name:unique_since_last_load"],
            settings,
            dbt_vars={"as_of": FIRST_AS_OF},
            target_path=tmp_path / "target",
            capture=True,
        )

    id_tests()  # passes before the repeat: the failure below is the repeat's
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            f"""
            insert into stg_segment__pages
            select * replace (dbt_loaded_at + interval {int(later_load)} hour as dbt_loaded_at)
            from stg_segment__pages
            where event_id = (select max(event_id) from stg_segment__pages)
            """
        )
        if not through_hash:
            connection.execute(
                """
                update stg_segment__pages set event_id_hash = null
                where event_id = (select min(event_id) from stg_segment__pages)
                """
            )
    with pytest.raises(DbtError, match="unique_since_last_load_stg_segment__pages_event_id"):
        id_tests()


def test_history_test_checks_the_stints_a_run_wrote(raw_batches, build, tmp_path: Path) -> None:
    """unique_combination_written_at_as_of on segment_membership_history: a stint opened
    or closed at as_of whose key is already in history fails it; two copies of a stint an
    earlier run wrote are not checked again (that run's test saw them), so a run does not
    regroup every stint ever written."""
    base, _ = raw_batches
    warehouse = tmp_path / "warehouse.duckdb"
    build(base, warehouse, FIRST_AS_OF)
    settings = Settings(project_dir=PROJECT_DIR, raw_data_path=base, warehouse_path=warehouse)
    generic_test = "unique_combination_written_at_as_of"
    test_name = f"{generic_test}_segment_membership_history"

    def history_tests() -> str:
        return run_dbt(
            ["test", "--select", f"segment_membership_history,test_name:{generic_test}"],
            settings,
            dbt_vars={"as_of": FIRST_AS_OF},
            target_path=tmp_path / "target",
            capture=True,
        )

    def insert(select: str) -> None:
        with duckdb.connect(str(warehouse)) as connection:
            connection.execute(f"insert into segment_membership_history {select}")

    one_stint = "from segment_membership_history order by segment_name, contact_id limit 1"
    assert test_name in history_tests()
    # an earlier run's stint written twice: not this run's to check
    earlier = "entered_at - interval 10 day as entered_at, entered_at - interval 5 day"
    insert(f"select segment_name, contact_id, {earlier} as exited_at {one_stint}")
    insert(f"select segment_name, contact_id, {earlier} as exited_at {one_stint}")
    history_tests()
    # a stint an earlier run opened, closed at as_of while its open row stays: fails, and
    # only through exited_at (its entered_at is not as_of, so only the closing stamp
    # brings its key into the check)
    opened_earlier = "entered_at - interval 20 day as entered_at"
    insert(f"select segment_name, contact_id, {opened_earlier}, null {one_stint}")
    history_tests()
    insert(
        f"select segment_name, contact_id, {opened_earlier}, entered_at as exited_at {one_stint}"
    )
    with pytest.raises(DbtError, match=test_name):
        history_tests()
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "delete from segment_membership_history where exited_at = cast(? as timestamp)",
            [FIRST_AS_OF.rstrip("Z")],
        )
    history_tests()
    # a stint opened at as_of twice: fails
    insert(f"select * {one_stint}")
    with pytest.raises(DbtError, match=test_name):
        history_tests()
