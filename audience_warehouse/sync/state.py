"""What each sync last delivered, its run history and rejections: tables in the warehouse.

reverse_etl.sync_records     one row per (sync, record key): status pending | delivered |
                             removed, the hash of what the destination confirmed, the
                             destination id, whether this sync created the record, the
                             segments in its confirmed payload and the segment lists
                             the destination confirmed it is in
reverse_etl.sync_runs        one row per run: counts, API calls, status, error
reverse_etl.sync_destination_objects  ids of what the destination made for the sync
                             (segment lists, ...), so later runs need not look them up
reverse_etl.sync_rejections  records the destination rejected, with its reason (retried
                             on the next run, since nothing was confirmed for them)

A row becomes `delivered` only with what the destination confirmed, in the same
transaction as the batch's rejections: a run killed at any point leaves state that is
true, and the next run resends exactly what is not confirmed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from audience_warehouse.sync.destination import Outcome, Record

SCHEMA = "reverse_etl"


@dataclass(frozen=True)
class StateRow:
    key: str
    status: str
    payload_hash: str | None
    destination_id: str | None
    created_by_sync: bool
    pending_since: datetime | None
    listed_segments: str = ""  # segment lists the destination confirmed holding it in
    delivered_segments: str | None = None  # segments in the confirmed payload (None: unknown)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _with_batch(
    connection: duckdb.DuckDBPyConnection,
    columns: dict[str, pa.DataType],
    rows: list[tuple],
    sql: str,
    parameters: list | None = None,
) -> list[tuple]:
    """Run `sql` once over `rows`, visible to it as the relation `batch`; its result rows.

    One statement per batch, not one per row: `executemany` runs a statement for every row
    (about 2 ms each), which at 100 records a call would take longer than the API call.
    """
    table = pa.table(
        {
            name: pa.array([row[i] for row in rows], type=kind)
            for i, (name, kind) in enumerate(columns.items())
        }
    )
    connection.register("batch", table)
    try:
        return connection.execute(sql, parameters or []).fetchall()
    finally:
        connection.unregister("batch")


def ensure_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(f"create schema if not exists {SCHEMA}")
    connection.execute(
        f"""
        create table if not exists {SCHEMA}.sync_records (
            sync_name varchar not null,
            record_key varchar not null,
            status varchar not null,
            payload_hash varchar,
            destination_id varchar,
            created_by_sync boolean not null default false,
            pending_since timestamp,
            listed_segments varchar not null default '',
            updated_at timestamp not null,
            primary key (sync_name, record_key)
        )
        """
    )
    # added after the first release: null means "delivered before we kept track"
    connection.execute(
        f"alter table {SCHEMA}.sync_records add column if not exists delivered_segments varchar"
    )
    # the model row's fingerprint at its last confirmed delivery (diff.py)
    connection.execute(
        f"alter table {SCHEMA}.sync_records add column if not exists row_fingerprint varchar"
    )
    connection.execute(
        f"""
        create table if not exists {SCHEMA}.sync_runs (
            run_id varchar primary key,
            sync_name varchar not null,
            destination varchar not null,
            mode varchar not null,
            dry_run boolean not null,
            started_at timestamp not null,
            finished_at timestamp,
            status varchar not null,
            added integer, changed integer, removed integer, rejected integer,
            api_calls integer,
            error varchar
        )
        """
    )
    connection.execute(
        f"""
        create table if not exists {SCHEMA}.sync_destination_objects (
            sync_name varchar not null,
            name varchar not null,
            destination_id varchar not null,
            primary key (sync_name, name)
        )
        """
    )
    connection.execute(
        f"""
        create table if not exists {SCHEMA}.sync_rejections (
            sync_name varchar not null,
            run_id varchar not null,
            record_key varchar not null,
            reason varchar not null,
            payload varchar,
            rejected_at timestamp not null
        )
        """
    )


def load_state(
    connection: duckdb.DuckDBPyConnection, sync_name: str, keys: Iterable[str] | None = None
) -> dict[str, StateRow]:
    """The state of every record of the sync, or only of `keys`."""
    query = f"""
        select record_key, status, payload_hash, destination_id, created_by_sync,
            pending_since, listed_segments, delivered_segments
        from {SCHEMA}.sync_records where sync_name = ?
        """
    if keys is None:
        rows = connection.execute(query, [sync_name]).fetchall()
    else:
        rows = _with_batch(
            connection,
            {"record_key": pa.string()},
            [(key,) for key in keys],
            query + " and record_key in (select record_key from batch)",
            [sync_name],
        )
    return {row[0]: StateRow(*row) for row in rows}


def mark_pending(
    connection: duckdb.DuckDBPyConnection, sync_name: str, keys: Iterable[str]
) -> None:
    """Before the first attempt to create a record: remember when we tried, so a record
    created by a run that died before confirming is still known as ours."""
    keys = list(keys)
    if not keys:
        return
    _with_batch(
        connection,
        {"record_key": pa.string()},
        [(key,) for key in keys],
        f"""
        insert into {SCHEMA}.sync_records
            (sync_name, record_key, status, pending_since, updated_at)
        select ?, record_key, 'pending', ?, ? from batch
        on conflict do nothing
        """,
        [sync_name, now(), now()],
    )


def commit_upserts(
    connection: duckdb.DuckDBPyConnection,
    sync_name: str,
    run_id: str,
    records: dict[str, Record],
    outcomes: list[Outcome],
    previous: dict[str, StateRow],
    fingerprints: dict[str, str] | None = None,
) -> int:
    """Record a batch's confirmed deliveries and its rejections in one transaction."""
    fingerprints = fingerprints or {}
    stamp = now()
    delivered = [
        (
            outcome.key,
            records[outcome.key].payload_hash,
            outcome.destination_id,
            _created_by_sync(outcome, previous.get(outcome.key)),
            ";".join(records[outcome.key].segments),
            fingerprints.get(outcome.key),
        )
        for outcome in outcomes
        if outcome.ok
    ]
    rejections = [
        (
            sync_name,
            run_id,
            outcome.key,
            outcome.error or "rejected",
            json.dumps(
                {"fields": records[outcome.key].fields, "segments": records[outcome.key].segments}
            ),
            stamp,
        )
        for outcome in outcomes
        if not outcome.ok
    ]
    connection.execute("begin transaction")
    try:
        if delivered:
            _with_batch(
                connection,
                {
                    "record_key": pa.string(),
                    "payload_hash": pa.string(),
                    "destination_id": pa.string(),
                    "created_by_sync": pa.bool_(),
                    "delivered_segments": pa.string(),
                    "row_fingerprint": pa.string(),
                },
                delivered,
                f"""
                insert into {SCHEMA}.sync_records
                    (sync_name, record_key, status, payload_hash, destination_id,
                     created_by_sync, delivered_segments, row_fingerprint, pending_since,
                     updated_at)
                select ?, record_key, 'delivered', payload_hash, destination_id,
                    created_by_sync, delivered_segments, row_fingerprint, null, ?
                from batch
                on conflict do update set
                    status = 'delivered',
                    payload_hash = excluded.payload_hash,
                    delivered_segments = excluded.delivered_segments,
                    row_fingerprint = excluded.row_fingerprint,
                    destination_id = coalesce(excluded.destination_id, destination_id),
                    created_by_sync = excluded.created_by_sync or created_by_sync,
                    pending_since = null,
                    updated_at = excluded.updated_at
                """,
                [sync_name, stamp],
            )
        if rejections:
            connection.executemany(
                f"insert into {SCHEMA}.sync_rejections values (?, ?, ?, ?, ?, ?)", rejections
            )
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise
    return len(rejections)


def _created_by_sync(outcome: Outcome, before: StateRow | None) -> bool:
    """Created now, created by this sync before, or created after an earlier attempt of
    ours that died before it could record the outcome."""
    if outcome.created:
        return True
    if before is None:
        return False
    if before.created_by_sync:
        return True
    return bool(
        before.pending_since and outcome.created_at and outcome.created_at >= before.pending_since
    )


def commit_removals(
    connection: duckdb.DuckDBPyConnection, sync_name: str, outcomes: list[Outcome]
) -> int:
    """Confirmed removals become `removed` (kept, so a record that comes back stays ours)."""
    confirmed = [outcome.key for outcome in outcomes if outcome.ok]
    if not confirmed:
        return len(outcomes)
    _with_batch(
        connection,
        {"record_key": pa.string()},
        [(key,) for key in confirmed],
        f"""
        update {SCHEMA}.sync_records
        set status = 'removed', payload_hash = null, delivered_segments = '',
            row_fingerprint = null, updated_at = ?
        from batch
        where sync_records.sync_name = ? and sync_records.record_key = batch.record_key
        """,
        [now(), sync_name],
    )
    return len(outcomes) - len(confirmed)


def save_fingerprints(
    connection: duckdb.DuckDBPyConnection, sync_name: str, fingerprints: dict[str, str]
) -> None:
    """New fingerprints of delivered rows whose payload did not change (a column that is
    not sent changed), so the next run does not read them again."""
    if not fingerprints:
        return
    _with_batch(
        connection,
        {"record_key": pa.string(), "row_fingerprint": pa.string()},
        list(fingerprints.items()),
        f"""
        update {SCHEMA}.sync_records
        set row_fingerprint = batch.row_fingerprint
        from batch
        where sync_records.sync_name = ? and sync_records.record_key = batch.record_key
            and sync_records.status = 'delivered'
        """,
        [sync_name],
    )


def load_memo(connection: duckdb.DuckDBPyConnection, sync_name: str) -> dict[str, str]:
    """Ids of objects the destination created for this sync (lists, ...), by name."""
    rows = connection.execute(
        f"select name, destination_id from {SCHEMA}.sync_destination_objects where sync_name = ?",
        [sync_name],
    ).fetchall()
    return dict(rows)


def save_memo(connection: duckdb.DuckDBPyConnection, sync_name: str, memo: dict[str, str]) -> None:
    connection.execute(
        f"delete from {SCHEMA}.sync_destination_objects where sync_name = ?", [sync_name]
    )
    if memo:
        connection.executemany(
            f"insert into {SCHEMA}.sync_destination_objects values (?, ?, ?)",
            [(sync_name, name, value) for name, value in memo.items()],
        )


def commit_listed(
    connection: duckdb.DuckDBPyConnection, sync_name: str, listed: dict[str, str]
) -> None:
    """Record the segment lists the destination now confirms for these records."""
    if not listed:
        return
    _with_batch(
        connection,
        {"record_key": pa.string(), "listed_segments": pa.string()},
        list(listed.items()),
        f"""
        update {SCHEMA}.sync_records
        set listed_segments = batch.listed_segments, updated_at = ?
        from batch
        where sync_records.sync_name = ? and sync_records.record_key = batch.record_key
        """,
        [now(), sync_name],
    )


def start_run(
    connection: duckdb.DuckDBPyConnection,
    run_id: str,
    sync_name: str,
    destination: str,
    mode: str,
    dry_run: bool,
) -> None:
    connection.execute(
        f"""
        insert into {SCHEMA}.sync_runs (run_id, sync_name, destination, mode, dry_run,
            started_at, status)
        values (?, ?, ?, ?, ?, ?, 'running')
        """,
        [run_id, sync_name, destination, mode, dry_run, now()],
    )


def finish_run(
    connection: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    status: str,
    added: int,
    changed: int,
    removed: int,
    rejected: int,
    api_calls: int,
    error: str | None = None,
) -> None:
    connection.execute(
        f"""
        update {SCHEMA}.sync_runs
        set finished_at = ?, status = ?, added = ?, changed = ?, removed = ?, rejected = ?,
            api_calls = ?, error = ?
        where run_id = ?
        """,
        [now(), status, added, changed, removed, rejected, api_calls, error, run_id],
    )
