"""Read a sync model from the warehouse as records keyed by their match key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from audience_warehouse.sync.destination import Record

KEY_COLUMN = "record_key"
SEGMENTS_COLUMN = "segments"
BOOKKEEPING_COLUMNS = {KEY_COLUMN, SEGMENTS_COLUMN, "contact_ids"}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def payload_hash(fields: dict[str, Any], segments: tuple[str, ...]) -> str:
    """A stable hash of what would be sent, to tell changed records from unchanged ones."""
    canonical = json.dumps(
        {"fields": fields, "segments": list(segments)}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_records(connection: duckdb.DuckDBPyConnection, model: str) -> dict[str, Record]:
    """Every row of the sync model as a Record (fields exclude bookkeeping and segment__ flags)."""
    cursor = connection.execute(f"select * from {model}")  # model names come from dbt
    columns = [description[0] for description in cursor.description]
    return records_from_rows(columns, cursor.fetchall())


def records_from_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> dict[str, Record]:
    """Rows of a sync model (from any engine) as Records keyed by their match key."""
    records: dict[str, Record] = {}
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        key = values[KEY_COLUMN]
        segments = tuple(sorted(s for s in (values.get(SEGMENTS_COLUMN) or "").split(";") if s))
        fields = {
            name: _json_value(value)
            for name, value in values.items()
            if name not in BOOKKEEPING_COLUMNS and not name.startswith("segment__")
        }
        records[key] = Record(key, fields, segments, payload_hash(fields, segments))
    return records


def model_fields(connection: duckdb.DuckDBPyConnection, model: str) -> list[str]:
    """The fields a sync model sends: its columns but bookkeeping and segment__ flags."""
    cursor = connection.execute(f"select * from {model} limit 0")
    return sorted(
        d[0]
        for d in cursor.description
        if d[0] not in BOOKKEEPING_COLUMNS and not d[0].startswith("segment__")
    )


def synced_segments(connection: duckdb.DuckDBPyConnection, model: str) -> list[str]:
    """The segments a sync model carries: its segment__<name> columns."""
    cursor = connection.execute(f"select * from {model} limit 0")
    prefix = "segment__"
    return [d[0][len(prefix) :] for d in cursor.description if d[0].startswith(prefix)]
