"""Find what changed since the last delivery inside the warehouse, not in Python.

A re-sync of a million records where 1% changed should cost about 1% of the initial sync.
So every row of the sync model gets a fingerprint in SQL (md5 of the row as JSON), and
only rows whose fingerprint differs from the one stored at their last confirmed delivery
(or that were never delivered) come to Python, where the payload hash decides (a row can
change in a column that is not sent, such as contact_ids). Removed records and segment
lists that differ from what the destination confirmed are found with joins as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

from audience_warehouse.sync.destination import Record
from audience_warehouse.sync.records import KEY_COLUMN, SEGMENTS_COLUMN, records_from_rows
from audience_warehouse.sync.state import SCHEMA

CHUNK_ROWS = 10_000  # delta rows turned into Records at a time
DELTA_TABLE = "aw_sync_delta"


@dataclass(frozen=True)
class DeltaChunk:
    records: dict[str, Record]  # rows that may need sending (new or fingerprint changed)
    fingerprints: dict[str, str]  # their fingerprints, stored once delivered


@dataclass(frozen=True)
class DeltaStream:
    """The delta, found in one SQL pass, read into Records a chunk at a time (key order),
    so a sync of a million new records starts sending after the first chunk."""

    rows: int  # rows that may need sending
    removed: list[str]  # delivered keys no longer in the model
    unchanged: int  # rows with the fingerprint of their last delivery
    chunks: Iterator[DeltaChunk]


def _fingerprinted(model: str) -> str:
    return f"select md5(cast(to_json(model_row) as varchar)) as row_fingerprint, model_row.* from {model} as model_row"  # noqa: E501


def stream_delta(
    connection: duckdb.DuckDBPyConnection, sync_name: str, chunk_rows: int | None = None
) -> DeltaStream:
    """The rows of sync model `sync_name` not confirmed as they are now, and removed keys.

    The rows are kept in a temporary table of a cursor of their own (its own connection
    to the database), so the caller can write sync state while it reads them."""
    cursor = connection.cursor()
    cursor.execute(
        f"""
        create or replace temporary table {DELTA_TABLE} as
        with model as ({_fingerprinted(sync_name)})
        select model.*
        from model
        left join {SCHEMA}.sync_records as state
            on state.sync_name = ? and state.record_key = model.{KEY_COLUMN}
        where
            state.status is distinct from 'delivered'
            or state.row_fingerprint is distinct from model.row_fingerprint
        """,
        [sync_name],
    )
    rows = cursor.execute(f"select count(*) from {DELTA_TABLE}").fetchone()[0]
    total = connection.execute(f"select count(*) from {sync_name}").fetchone()[0]
    removed = [
        key
        for (key,) in connection.execute(
            f"""
            select record_key from {SCHEMA}.sync_records
            where sync_name = ? and status = 'delivered'
                and record_key not in (select {KEY_COLUMN} from {sync_name})
            order by record_key
            """,
            [sync_name],
        ).fetchall()
    ]
    return DeltaStream(rows, removed, total - rows, _chunks(cursor, chunk_rows or CHUNK_ROWS))


def _chunks(cursor: duckdb.DuckDBPyConnection, chunk_rows: int) -> Iterator[DeltaChunk]:
    try:
        cursor.execute(f"select * from {DELTA_TABLE} order by {KEY_COLUMN}")
        columns = [description[0] for description in cursor.description]
        key_at = columns.index(KEY_COLUMN)
        while rows := cursor.fetchmany(chunk_rows):
            yield DeltaChunk(
                records_from_rows(columns[1:], (row[1:] for row in rows)),
                {row[key_at]: row[0] for row in rows},
            )
    finally:
        cursor.close()


def _normalized_segments(column: str) -> str:
    """A `;`-joined segment list, sorted and without empty names (as records.py reads it)."""
    return (
        f"array_to_string(list_sort(list_filter(string_split(coalesce({column}, ''), ';'), "
        "lambda name: name <> '')), ';')"
    )


def list_gaps(
    connection: duckdb.DuckDBPyConnection, sync_name: str
) -> dict[str, tuple[set[str], set[str], str]]:
    """Records whose confirmed segment lists differ from what they should be in:
    key -> (listed, wanted, destination id). Wanted is the model's segments for a
    delivered record, nothing for any other."""
    rows = connection.execute(
        f"""
        with wanted as (
            select
                state.record_key,
                state.destination_id,
                state.listed_segments,
                case
                    when model.{KEY_COLUMN} is not null and state.status = 'delivered'
                        then {_normalized_segments(f"model.{SEGMENTS_COLUMN}")}
                    else ''
                end as wanted_segments
            from {SCHEMA}.sync_records as state
            left join {sync_name} as model
                on state.record_key = model.{KEY_COLUMN}
            where state.sync_name = ? and state.destination_id is not null
        )
        select record_key, listed_segments, wanted_segments, destination_id
        from wanted
        where listed_segments <> wanted_segments
        """,
        [sync_name],
    ).fetchall()
    return {
        key: (set(filter(None, listed.split(";"))), set(filter(None, wanted.split(";"))), dest)
        for key, listed, wanted, dest in rows
    }
