"""Run one sync: plan against the last delivered state, send in batches, keep the outcome.

State is written only for what the destination confirmed, a group of batches at a time
(STATE_WRITE_RECORDS), so a run that dies anywhere is resumed by the next one without
duplicates or lost updates: records are matched on their key, so re-sending the
confirmed-but-unrecorded batches of the last group is harmless, and records are marked
pending before their first send, so ones created by a run that died are still known as
this sync's own.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb

from audience_warehouse.sync import state as sync_state
from audience_warehouse.sync.destination import Destination, ListChange, Outcome, Record
from audience_warehouse.sync.diff import DeltaChunk, list_gaps, stream_delta
from audience_warehouse.sync.hold import hold_segments
from audience_warehouse.sync.plan import Plan, make_plan
from audience_warehouse.sync.records import load_records, model_fields, synced_segments
from audience_warehouse.sync.retry import RetriesExhausted, RetryPolicy, call_with_retries
from audience_warehouse.sync.state import StateRow

# Confirmed records written to the sync state in one statement (and marked pending in one
# before their batches go out): one statement per 100-record batch cost as much CPU as
# the batch's API call at a million records.
STATE_WRITE_RECORDS = 1_000


@dataclass(frozen=True)
class SyncConfig:
    name: str  # the sync model, e.g. sync_hubspot_contacts
    mode: str = "upsert"


@dataclass(frozen=True)
class RunResult:
    run_id: str
    status: str
    added: int
    changed: int
    removed: int
    rejected: int
    api_calls: int
    plan: Plan


def _batches(records: Sequence[Record], size: int) -> Iterator[list[Record]]:
    for start in range(0, len(records), size):
        yield list(records[start : start + size])


def describe_plan(plan: Plan, destination: Destination, *, samples: int = 3) -> str:
    """The dry-run report: counts, sample records and the API calls it would take."""
    calls = math.ceil(len(plan.to_upsert) / destination.batch_size) + math.ceil(
        len(plan.to_remove) / destination.batch_size
    )
    quota = getattr(destination, "daily_quota", None)
    share = f", {100 * calls / quota:.2f}% of the daily quota of {quota:,}" if quota else ""
    lines = [
        f"{destination.name} ({plan.mode}): {len(plan.added)} to add, {len(plan.changed)} to "
        f"change, {len(plan.to_remove)} to remove, {plan.unchanged} unchanged"
        + (f", {plan.held_back} held back" if plan.held_back else ""),
        f"  about {calls} write calls of up to {destination.batch_size} records{share}",
    ]
    for label, records in (("add", plan.added), ("change", plan.changed)):
        for record in records[:samples]:
            lines.append(
                f"  {label} {record.key}: {record.fields} segments={list(record.segments)}"
            )
    lines += [f"  remove {record.key}" for record in plan.to_remove[:samples]]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Part:
    """Part of a run's plan, with the records and last confirmed state it was made from."""

    plan: Plan
    records: dict[str, Record]
    previous: dict[str, StateRow]
    fingerprints: dict[str, str]


def _delta_parts(
    connection: duckdb.DuckDBPyConnection, config: SyncConfig, chunks: Iterator[DeltaChunk]
) -> Iterator[_Part]:
    """The plan a chunk of the delta at a time (removed records are planned apart)."""
    for chunk in chunks:
        previous = sync_state.load_state(connection, config.name, chunk.records)
        plan = make_plan(chunk.records, previous, config.mode)
        yield _Part(plan, chunk.records, previous, chunk.fingerprints)


def run_sync(
    connection: duckdb.DuckDBPyConnection,
    config: SyncConfig,
    destination: Destination,
    *,
    dry_run: bool = False,
    retry: RetryPolicy | None = None,
    segments: Sequence[str] | None = None,
    held_segments: Collection[str] = (),
) -> RunResult:
    """Sync `config.name` to `destination`. `held_segments` (unhealthy ones) keep, for
    every record, the membership the destination last confirmed; the rest syncs.

    Records are planned and sent a chunk of the delta at a time: sending starts after the
    first chunk, and the rest is read while the rate limit paces the calls."""
    retry = retry or RetryPolicy()
    if segments is None:
        segments = synced_segments(connection, config.name)
    sync_state.ensure_tables(connection)
    run_id = str(uuid.uuid4())
    fields = model_fields(connection, config.name)
    if held_segments:  # every record, to give each the held segments as last confirmed
        previous_all = sync_state.load_state(connection, config.name)
        records_all, kept = hold_segments(
            load_records(connection, config.name), previous_all, held_segments
        )
        whole = make_plan(records_all, previous_all, config.mode, keep=kept)
        parts: Iterator[_Part] = iter([_Part(whole, records_all, previous_all, {})])
        removals, removed_state = whole, {}  # the part holds every record's state
        unchanged_elsewhere, expected = 0, len(whole.to_upsert)
    else:  # only what changed since the last confirmed delivery, found in SQL
        delta = stream_delta(connection, config.name)
        removed_state = sync_state.load_state(connection, config.name, delta.removed)
        removals = make_plan({}, removed_state, config.mode)
        parts = _delta_parts(connection, config, delta.chunks)
        unchanged_elsewhere, expected = delta.unchanged, delta.rows
    sync_state.start_run(connection, run_id, config.name, destination.name, config.mode, dry_run)
    calls_before = getattr(destination, "api_calls", 0)
    counts = {"added": 0, "changed": 0, "removed": 0, "rejected": 0}
    # what the parts read so far hold
    records: dict[str, Record] = {}
    previous: dict[str, StateRow] = dict(removed_state)
    fingerprints: dict[str, str] = {}
    added: list[Record] = []
    changed: list[Record] = []
    changed_keys: set[str] = set()
    unchanged = unchanged_elsewhere

    def plan_so_far() -> Plan:
        return Plan(config.mode, added, changed, removals.removed, unchanged, removals.held_back)

    def finish(status: str, error: str | None = None) -> RunResult:
        api_calls = getattr(destination, "api_calls", 0) - calls_before
        sync_state.finish_run(
            connection, run_id, status=status, api_calls=api_calls, error=error, **counts
        )
        return RunResult(run_id, status, api_calls=api_calls, plan=plan_so_far(), **counts)

    def take(part: _Part) -> None:
        nonlocal unchanged
        records.update(part.records)
        previous.update(part.previous)
        fingerprints.update(part.fingerprints)
        added.extend(part.plan.added)
        changed.extend(part.plan.changed)
        changed_keys.update(record.key for record in part.plan.changed)
        unchanged += part.plan.unchanged

    if dry_run:
        for part in parts:
            take(part)
        print(describe_plan(plan_so_far(), destination))
        return finish("dry_run")
    prepared = False

    def prepare() -> None:
        nonlocal prepared
        if not prepared:
            memo = sync_state.load_memo(connection, config.name)
            call_with_retries(lambda: destination.prepare(segments, fields, memo), retry)
            sync_state.save_memo(connection, config.name, memo)
            prepared = True

    create = config.mode != "update_only"
    update = config.mode != "create_only"
    size_for = getattr(destination, "batch_size_for", None)
    # chosen before the delta is read: from the rows that may need sending
    upsert_size = size_for(expected) if size_for else destination.batch_size
    confirmed: list[Outcome] = []  # answered, not yet written to the state

    def send(batch: list[Record]) -> list[Outcome]:
        return call_with_retries(
            lambda: destination.upsert(batch, create=create, update=update), retry
        )

    def write_confirmed() -> None:
        outcomes = confirmed[:]
        confirmed.clear()
        counts["rejected"] += sync_state.commit_upserts(
            connection, config.name, run_id, records, outcomes, previous, fingerprints
        )
        for outcome in outcomes:
            if outcome.ok:
                counts["changed" if outcome.key in changed_keys else "added"] += 1

    def settle(outcomes: list[Outcome]) -> None:
        confirmed.extend(outcomes)
        if len(confirmed) >= STATE_WRITE_RECORDS:
            write_confirmed()

    def upsert_batches() -> Iterator[list[Record]]:
        """Each part's upsert batches, the records new to the state marked pending a
        group of batches at a time, before any batch of the group is sent."""
        group = upsert_size * max(1, STATE_WRITE_RECORDS // upsert_size)
        for part in parts:
            take(part)
            # rows read for a change in a column that is not sent: remember their
            # fingerprint (not for added or changed ones, even when this mode does not
            # send them)
            differing = {record.key for record in part.plan.added + part.plan.changed}
            sync_state.save_fingerprints(
                connection,
                config.name,
                {k: v for k, v in part.fingerprints.items() if k not in differing},
            )
            to_upsert = part.plan.to_upsert
            if to_upsert:
                prepare()
            for start in range(0, len(to_upsert), group):
                grouped = to_upsert[start : start + group]
                keys = [record.key for record in grouped if record.key not in previous]
                sync_state.mark_pending(connection, config.name, keys)
                yield from _batches(grouped, upsert_size)

    try:
        try:
            _send_in_flight(
                upsert_batches(), send, settle, getattr(destination, "max_in_flight", 1)
            )
        finally:
            if confirmed:
                write_confirmed()
        to_remove = plan_so_far().to_remove
        if to_remove:
            prepare()
        for batch in _batches(to_remove, destination.batch_size):
            delete = {
                r.key for r in batch if config.mode == "mirror" and previous[r.key].created_by_sync
            }
            outcomes = call_with_retries(
                lambda batch=batch, delete=delete: _remove(destination, batch, delete), retry
            )
            counts["rejected"] += sync_state.commit_removals(connection, config.name, outcomes)
            counts["removed"] += sum(outcome.ok for outcome in outcomes)
        if destination.uses_lists:
            if held_segments:
                gaps = _list_gaps_from_records(
                    sync_state.load_state(connection, config.name),
                    records,
                    _Held(frozenset(held_segments), frozenset(kept)),
                )
            else:
                gaps = list_gaps(connection, config.name)
            _sync_lists(connection, config, destination, gaps, retry, prepare)
    except RetriesExhausted as error:
        return finish("failed", str(error))
    return finish("succeeded")


def _send_in_flight(
    batches: Iterator[list[Record]],
    send: Callable[[list[Record]], list[Outcome]],
    settle: Callable[[list[Outcome]], None],
    in_flight: int,
) -> None:
    """Send batches with up to `in_flight` calls open at once (the rate limit still paces
    them), settling each in the caller's thread, oldest first. A batch is marked pending
    (by the `batches` generator) before it is sent, and committed only once confirmed; if
    one fails for good, the ones already sent are still settled before the error rises."""
    if in_flight <= 1:
        for batch in batches:
            settle(send(batch))
        return
    with ThreadPoolExecutor(max_workers=in_flight) as pool:
        open_calls: deque[Future[list[Outcome]]] = deque()
        try:
            for batch in batches:
                open_calls.append(pool.submit(send, batch))
                if len(open_calls) >= in_flight:
                    settle(open_calls.popleft().result())
            while open_calls:
                settle(open_calls.popleft().result())
        except BaseException:
            for call in open_calls:
                if call.exception() is None:
                    settle(call.result())
            raise


@dataclass(frozen=True)
class _Held:
    segments: frozenset[str]  # segment lists to leave as they are
    records: frozenset[str]  # keys whose lists stay as they are


def _list_gaps_from_records(
    rows: dict[str, StateRow], records: dict[str, Record], held: _Held
) -> dict[str, tuple[set[str], set[str], str]]:
    """As diff.list_gaps, from records in memory with held segments left alone: the lists
    of held segments and of the records kept for them stay as the destination has them."""
    gaps = {}
    for key, row in rows.items():
        if not row.destination_id:
            continue
        listed = set(filter(None, row.listed_segments.split(";")))
        if key in held.records:
            wanted = set(listed)
        elif key in records and row.status == "delivered":
            wanted = set(records[key].segments)
        else:
            wanted = set()
        wanted = (wanted - held.segments) | (listed & held.segments)
        if wanted != listed:
            gaps[key] = (listed, wanted, row.destination_id)
    return gaps


def _sync_lists(
    connection: duckdb.DuckDBPyConnection,
    config: SyncConfig,
    destination: Destination,
    gaps: dict[str, tuple[set[str], set[str], str]],
    retry: RetryPolicy,
    prepare: Callable[[], None],
) -> None:
    """Bring segment lists in line for the records whose confirmed lists differ from what
    they should be (`gaps`: key -> listed, wanted, destination id). Gaps come from what the
    lists are known to hold, not from this run's plan, so a run killed between phases is
    caught up."""
    listed = {key: set(gap[0]) for key, gap in gaps.items()}
    ids = {key: gap[2] for key, gap in gaps.items()}
    adds: dict[str, list[str]] = defaultdict(list)
    removes: dict[str, list[str]] = defaultdict(list)
    for key, (was, wanted, _) in gaps.items():  # one pass, not one per segment
        for segment in wanted - was:
            adds[segment].append(key)
        for segment in was - wanted:
            removes[segment].append(key)
    for segment in sorted(adds.keys() | removes.keys()):
        size = destination.list_batch_size
        segment_adds, segment_removes = adds[segment], removes[segment]
        for start in range(0, max(len(segment_adds), len(segment_removes)), size):
            add_keys = segment_adds[start : start + size]
            remove_keys = segment_removes[start : start + size]
            prepare()
            change = ListChange(
                segment,
                tuple(ids[key] for key in add_keys),
                tuple(ids[key] for key in remove_keys),
            )
            call_with_retries(lambda change=change: destination.update_list(change), retry)
            for key in add_keys:
                listed[key].add(segment)
            for key in remove_keys:
                listed[key].discard(segment)
            sync_state.commit_listed(
                connection,
                config.name,
                {key: ";".join(sorted(listed[key])) for key in add_keys + remove_keys},
            )


def _remove(destination: Destination, batch: list[Record], delete: set[str]) -> list[Outcome]:
    """Delete the records this sync created (mirror); only unlist the others."""
    outcomes = []
    to_delete = [record for record in batch if record.key in delete]
    to_unlist = [record for record in batch if record.key not in delete]
    if to_delete:
        outcomes += destination.remove(to_delete, delete=True)
    if to_unlist:
        outcomes += destination.remove(to_unlist, delete=False)
    return outcomes
