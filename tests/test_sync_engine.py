"""The sync engine against an in-memory destination: diffing, modes, faults, crashes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from audience_warehouse.sync import diff, engine
from audience_warehouse.sync import state as sync_state
from audience_warehouse.sync.destination import ListChange, Outcome, Record, RetryableError
from audience_warehouse.sync.diff import stream_delta
from audience_warehouse.sync.engine import SyncConfig, run_sync
from audience_warehouse.sync.ratelimit import TokenBucket
from audience_warehouse.sync.retry import RetryPolicy

MODEL = "sync_test_contacts"


class Crash(BaseException):
    """Stands in for the process being killed mid-run."""


class FakeDestination:
    """A CRM in memory: records by key, and which segments each is listed in."""

    name = "fake"
    account = "fake-account"
    batch_size = 10
    uses_lists = True
    list_batch_size = 25

    def __init__(self, *, fault_rate: float = 0.0, seed: int = 1) -> None:
        self.records: dict[str, dict] = {}
        self.api_calls = 0
        self.upserted_keys: list[str] = []
        self.fault_rate = fault_rate
        self.random = random.Random(seed)
        self.crash_after_calls: int | None = None
        self.reject: set[str] = set()
        self.lists: dict[str, set[str]] = {}

    def _call(self) -> None:
        self.api_calls += 1
        if self.crash_after_calls is not None and self.api_calls > self.crash_after_calls:
            raise Crash
        if self.random.random() < self.fault_rate:
            raise RetryableError("503 Service Unavailable", retry_after=None)

    def prepare(self, segments: Sequence[str], fields: Sequence[str], memo: dict[str, str]) -> None:
        self._call()

    def upsert(self, records: Sequence[Record], *, create: bool, update: bool) -> list[Outcome]:
        self._call()
        outcomes = []
        for record in records:
            exists = record.key in self.records
            if record.key in self.reject:
                outcomes.append(Outcome(record.key, False, error="INVALID_EMAIL: bad address"))
            elif (exists and not update) or (not exists and not create):
                outcomes.append(Outcome(record.key, False, error="skipped by mode"))
            else:
                entry = self.records.setdefault(
                    record.key, {"id": f"id-{record.key}", "created_at": datetime.now(UTC)}
                )
                entry.update(fields=record.fields, segments=record.segments)
                self.upserted_keys.append(record.key)
                outcomes.append(
                    Outcome(
                        record.key,
                        True,
                        entry["id"],
                        created=not exists,
                        created_at=entry["created_at"].replace(tzinfo=None),
                    )
                )
        # a dropped response after the write was applied: the caller sees only an error
        if self.random.random() < self.fault_rate:
            raise RetryableError("connection reset after apply")
        return outcomes

    def remove(self, records: Sequence[Record], *, delete: bool) -> list[Outcome]:
        self._call()
        for record in records:
            if delete:
                self.records.pop(record.key, None)
        return [Outcome(record.key, True) for record in records]

    def update_list(self, change: ListChange) -> None:
        self._call()
        members = self.lists.setdefault(change.segment, set())
        members.update(change.add)
        members.difference_update(change.remove)
        if self.random.random() < self.fault_rate:
            raise RetryableError("connection reset after apply")

    def segments_of(self, key: str) -> set[str]:
        record_id = self.records[key]["id"]
        return {segment for segment, members in self.lists.items() if record_id in members}


def no_sleep() -> RetryPolicy:
    return RetryPolicy(max_attempts=50, sleep=lambda _: None, random=random.Random(0))


@pytest.fixture
def warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    set_model(connection, {f"c{i:03}@example.com": ("Ann", "a;b") for i in range(35)})
    yield connection
    connection.close()


def set_model(connection: duckdb.DuckDBPyConnection, rows: dict[str, tuple[str, str]]) -> None:
    connection.execute(
        f"create or replace table {MODEL} (record_key varchar, contact_ids varchar, "
        "firstname varchar, segments varchar)"
    )
    connection.executemany(
        f"insert into {MODEL} values (?, ?, ?, ?)",
        [(key, key, name, segments) for key, (name, segments) in rows.items()],
    )


def intended(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, set[str]]]:
    return {
        key: (name, set(filter(None, segments.split(";"))))
        for key, name, segments in connection.execute(
            f"select record_key, firstname, segments from {MODEL}"
        ).fetchall()
    }


def held(destination: FakeDestination) -> dict[str, tuple[str, set[str]]]:
    """Records the destination lists in at least one segment, with their segments."""
    return {
        key: (entry["fields"]["firstname"], destination.segments_of(key))
        for key, entry in destination.records.items()
        if destination.segments_of(key)
    }


def test_second_run_without_changes_makes_no_write_calls(warehouse) -> None:
    destination = FakeDestination()
    first = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    # prepare, 4 upsert batches of 10, 2 list calls of 25 ids for each of lists a and b
    assert (first.status, first.added, first.api_calls) == ("succeeded", 35, 9)
    assert destination.segments_of("c000@example.com") == {"a", "b"}
    second = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert (second.added, second.changed, second.removed, second.api_calls) == (0, 0, 0, 0)


def test_a_changed_record_sends_exactly_that_record(warehouse) -> None:
    destination = FakeDestination()
    run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    warehouse.execute(f"update {MODEL} set firstname = 'Bo' where record_key = 'c007@example.com'")
    destination.upserted_keys.clear()
    result = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert (result.added, result.changed) == (0, 1)
    assert destination.upserted_keys == ["c007@example.com"]
    assert destination.records["c007@example.com"]["fields"]["firstname"] == "Bo"


def delta_of(connection: duckdb.DuckDBPyConnection) -> tuple[list[str], int]:
    """The keys the diff reads into Python, and the rows it counts as unchanged."""
    stream = stream_delta(connection, MODEL)
    return sorted(key for chunk in stream.chunks for key in chunk.records), stream.unchanged


def test_a_re_sync_reads_only_rows_that_changed(warehouse) -> None:
    """The diff runs in SQL: unchanged rows never come to Python, and a change in a column
    that is not sent (contact_ids) sends nothing and is not read again."""
    destination = FakeDestination()
    run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert delta_of(warehouse) == ([], 35)
    warehouse.execute(f"update {MODEL} set firstname = 'Bo' where record_key = 'c007@example.com'")
    warehouse.execute(f"update {MODEL} set contact_ids = 'x' where record_key = 'c008@example.com'")
    assert delta_of(warehouse) == (["c007@example.com", "c008@example.com"], 33)
    result = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert (result.changed, result.plan.unchanged) == (1, 34)
    assert delta_of(warehouse) == ([], 35)


def test_sending_starts_after_the_first_chunk_of_the_delta(warehouse, monkeypatch) -> None:
    """A large delta is read into Records a chunk at a time, and its first batches go out
    before the rest is read."""
    monkeypatch.setattr(diff, "CHUNK_ROWS", 4)
    chunks_read = []
    read = diff.records_from_rows

    def counted(*args, **kwargs):
        chunks_read.append(1)
        return read(*args, **kwargs)

    monkeypatch.setattr(diff, "records_from_rows", counted)

    class Recording(FakeDestination):
        batch_size = 2
        chunks_read_at_first_upsert: int | None = None

        def upsert(self, records, *, create, update):
            if self.chunks_read_at_first_upsert is None:
                self.chunks_read_at_first_upsert = len(chunks_read)
            return super().upsert(records, create=create, update=update)

    destination = Recording()
    result = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert result.added == 35
    assert len(chunks_read) == 9  # 35 rows, 4 at a time
    assert destination.chunks_read_at_first_upsert == 1
    assert held(destination) == intended(warehouse)


def test_changes_held_back_by_create_only_are_sent_by_a_later_upsert(warehouse) -> None:
    destination = FakeDestination()
    run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    warehouse.execute(f"update {MODEL} set firstname = 'Bo' where record_key = 'c007@example.com'")
    create_only = run_sync(
        warehouse, SyncConfig(MODEL, "create_only"), destination, retry=no_sleep()
    )
    assert create_only.changed == 0
    upsert = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert upsert.changed == 1
    assert destination.records["c007@example.com"]["fields"]["firstname"] == "Bo"


def test_a_contact_leaving_the_sync_is_taken_out_of_lists(warehouse) -> None:
    destination = FakeDestination()
    run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    warehouse.execute(f"delete from {MODEL} where record_key = 'c001@example.com'")
    result = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert result.removed == 1
    assert destination.segments_of("c001@example.com") == set()
    assert destination.segments_of("c002@example.com") == {"a", "b"}


def test_mirror_deletes_only_what_this_sync_created(warehouse) -> None:
    destination = FakeDestination()
    destination.records["c002@example.com"] = {
        "id": "theirs",
        "created_at": datetime(2020, 1, 1, tzinfo=UTC),
        "fields": {"firstname": "Pre"},
    }
    run_sync(warehouse, SyncConfig(MODEL, "mirror"), destination, retry=no_sleep())
    warehouse.execute(
        f"delete from {MODEL} where record_key in ('c001@example.com', 'c002@example.com')"
    )
    run_sync(warehouse, SyncConfig(MODEL, "mirror"), destination, retry=no_sleep())
    assert "c001@example.com" not in destination.records
    assert destination.records["c002@example.com"]["id"] == "theirs"


@pytest.mark.parametrize("mode, created", [("create_only", 35), ("update_only", 0)])
def test_create_only_and_update_only(warehouse, mode: str, created: int) -> None:
    destination = FakeDestination()
    result = run_sync(warehouse, SyncConfig(MODEL, mode), destination, retry=no_sleep())
    assert len(destination.records) == created
    assert result.rejected == 35 - created


def test_an_unhealthy_segment_is_held_back_and_the_others_sync(warehouse) -> None:
    destination = FakeDestination()
    run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    rows = {key: (name, "a;b") for key, (name, _) in intended(warehouse).items()}
    rows["c000@example.com"] = ("Ann", "b")  # leaves a
    rows["c001@example.com"] = ("Cy", "a;b")  # a field changes
    del rows["c002@example.com"]  # leaves the sync (maybe only because a is broken)
    rows["c100@example.com"] = ("New", "a")  # joins through a alone
    rows["c101@example.com"] = ("Two", "a;b")  # joins a and b
    set_model(warehouse, rows)
    destination.upserted_keys.clear()
    result = run_sync(
        warehouse, SyncConfig(MODEL), destination, retry=no_sleep(), held_segments=["a"]
    )
    assert (result.status, result.added, result.changed, result.removed) == ("succeeded", 1, 1, 0)
    assert sorted(destination.upserted_keys) == ["c001@example.com", "c101@example.com"]
    assert result.plan.held_back == 1
    # list a and the `a` values are as the destination last confirmed them
    assert destination.segments_of("c000@example.com") == {"a", "b"}
    assert destination.records["c000@example.com"]["segments"] == ("a", "b")
    assert destination.segments_of("c002@example.com") == {"a", "b"}
    assert "c100@example.com" not in destination.records
    assert destination.segments_of("c101@example.com") == {"b"}
    assert destination.records["c101@example.com"]["segments"] == ("b",)
    assert destination.records["c001@example.com"]["fields"]["firstname"] == "Cy"
    # once a is healthy again, the next run catches up with exactly what was held
    destination.upserted_keys.clear()
    caught_up = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert (caught_up.added, caught_up.changed, caught_up.removed) == (1, 2, 1)
    assert held(destination) == intended(warehouse)


@pytest.mark.parametrize(("in_flight", "chunk_rows"), [(1, None), (3, None), (3, 4)])
def test_faults_at_20_percent_still_converge_exactly(
    warehouse, monkeypatch, in_flight: int, chunk_rows: int | None
) -> None:
    if chunk_rows:  # the delta read a few rows at a time, sent while it is read
        monkeypatch.setattr(diff, "CHUNK_ROWS", chunk_rows)
    destination = FakeDestination(fault_rate=0.2, seed=7)
    destination.max_in_flight = in_flight  # several batches open at once, like HubSpot
    result = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert result.status == "succeeded"
    assert held(destination) == intended(warehouse)
    warehouse.execute(f"update {MODEL} set segments = 'b' where record_key < 'c010'")
    warehouse.execute(f"delete from {MODEL} where record_key > 'c030'")
    run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert held(destination) == intended(warehouse)


@pytest.mark.parametrize(("in_flight", "chunk_rows"), [(1, None), (3, None), (3, 4)])
def test_a_run_killed_midway_resumes_without_duplicates(
    warehouse, monkeypatch, in_flight: int, chunk_rows: int | None
) -> None:
    if chunk_rows:
        monkeypatch.setattr(diff, "CHUNK_ROWS", chunk_rows)
    destination = FakeDestination()
    destination.max_in_flight = in_flight
    destination.crash_after_calls = 3  # prepare + 2 batches, then the process dies
    with pytest.raises(Crash):
        run_sync(warehouse, SyncConfig(MODEL, "mirror"), destination, retry=no_sleep())
    destination.crash_after_calls = None
    result = run_sync(warehouse, SyncConfig(MODEL, "mirror"), destination, retry=no_sleep())
    assert result.status == "succeeded"
    assert held(destination) == intended(warehouse)
    assert len(destination.records) == 35
    # records created by the killed run still count as this sync's own
    owned = warehouse.execute(
        "select count(*) from reverse_etl.sync_records where created_by_sync"
    ).fetchone()[0]
    assert owned == 35


def test_confirmed_batches_lost_before_their_state_write_are_resent_as_ours(
    warehouse, monkeypatch
) -> None:
    """State is written a group of batches at a time: a process that dies after the
    destination confirmed a group, before writing it, leaves only pending marks."""
    destination = FakeDestination()
    destination.max_in_flight = 3
    monkeypatch.setattr(engine, "STATE_WRITE_RECORDS", 20)  # two batches of 10 a group
    write = sync_state.commit_upserts

    def dies_writing_the_second_group(*args, **kwargs):
        if dies_writing_the_second_group.calls == 1:
            raise Crash
        dies_writing_the_second_group.calls += 1
        return write(*args, **kwargs)

    dies_writing_the_second_group.calls = 0
    monkeypatch.setattr(sync_state, "commit_upserts", dies_writing_the_second_group)
    with pytest.raises(Crash):
        run_sync(warehouse, SyncConfig(MODEL, "mirror"), destination, retry=no_sleep())
    statuses = dict(
        warehouse.execute(
            "select status, count(*) from reverse_etl.sync_records group by status"
        ).fetchall()
    )
    assert statuses == {"delivered": 20, "pending": 15}
    monkeypatch.setattr(sync_state, "commit_upserts", write)
    destination.upserted_keys.clear()
    result = run_sync(warehouse, SyncConfig(MODEL, "mirror"), destination, retry=no_sleep())
    assert result.status == "succeeded"
    assert result.added == 15  # the unrecorded ones, sent again; none twice in the CRM
    assert sorted(destination.upserted_keys) == sorted(
        f"c{i:03}@example.com" for i in range(20, 35)
    )
    assert held(destination) == intended(warehouse)
    owned = warehouse.execute(
        "select count(*) from reverse_etl.sync_records where created_by_sync"
    ).fetchone()[0]
    assert owned == 35


def test_rejected_records_are_recorded_and_retried(warehouse) -> None:
    destination = FakeDestination()
    destination.reject = {"c003@example.com"}
    result = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert result.rejected == 1
    reason = warehouse.execute(
        "select reason from reverse_etl.sync_rejections where record_key = 'c003@example.com'"
    ).fetchone()[0]
    assert reason == "INVALID_EMAIL: bad address"
    destination.reject = set()
    retried = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert (retried.added, retried.rejected) == (1, 0)


def test_dry_run_calls_nothing_and_prints_the_plan(warehouse, capsys) -> None:
    destination = FakeDestination()
    result = run_sync(warehouse, SyncConfig(MODEL), destination, dry_run=True)
    assert (result.status, destination.api_calls) == ("dry_run", 0)
    output = capsys.readouterr().out
    assert "35 to add" in output and "about 4 write calls" in output
    runs = warehouse.execute("select status, dry_run from reverse_etl.sync_runs").fetchall()
    assert runs == [("dry_run", True)]


def test_token_bucket_paces_requests() -> None:
    clock = {"now": 0.0}
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock["now"] += seconds

    bucket = TokenBucket(10, 10.0, clock=lambda: clock["now"], sleep=sleep)
    for _ in range(25):
        bucket.acquire()
    assert clock["now"] == pytest.approx(15.0, abs=0.01)  # 10 at once, then 1 per second


def test_retry_after_is_honoured() -> None:
    policy = RetryPolicy(base_delay=0.5, random=random.Random(1))
    assert 7.0 <= policy.delay(1, retry_after=7.0) <= 7.5
    assert 0 <= policy.delay(3, retry_after=None) <= 2.0


def test_a_run_killed_between_records_and_lists_catches_up(warehouse) -> None:
    destination = FakeDestination()
    destination.crash_after_calls = 5  # prepare + 4 upsert batches: dies at the first list call
    with pytest.raises(Crash):
        run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    destination.crash_after_calls = None
    destination.upserted_keys.clear()
    result = run_sync(warehouse, SyncConfig(MODEL), destination, retry=no_sleep())
    assert (result.added, result.changed, destination.upserted_keys) == (0, 0, [])
    assert held(destination) == intended(warehouse)
