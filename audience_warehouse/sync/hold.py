"""Hold back unhealthy segments: the destination keeps what it last confirmed for them.

A sync carries several segments. When one of them fails its health checks, the others
still sync; for the held one every record keeps the membership the destination last
confirmed (from `delivered_segments` in the sync state):

- a delivered record keeps the held segment if it had it, and does not gain it;
- a new record is not created for a held segment alone;
- a delivered record that left the model is not removed while it carries a held
  segment (it may have left only because the held segment is broken);
- a delivered record whose confirmed segments are unknown (state from before they were
  kept) is left exactly as it is.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from audience_warehouse.sync.destination import Record
from audience_warehouse.sync.records import payload_hash
from audience_warehouse.sync.state import StateRow


def _confirmed(row: StateRow | None) -> set[str] | None:
    """The segments the destination confirmed for a delivered record (None: unknown)."""
    if row is None or row.status != "delivered":
        return set()
    if row.delivered_segments is None:
        return None
    return set(filter(None, row.delivered_segments.split(";")))


def hold_segments(
    records: dict[str, Record], state: dict[str, StateRow], held: Collection[str]
) -> tuple[dict[str, Record], set[str]]:
    """The records to sync with `held` segments as last delivered, and the keys of
    delivered records to leave untouched (neither updated nor removed)."""
    if not held:
        return records, set()
    held = set(held)
    kept: set[str] = set()
    result: dict[str, Record] = {}
    for key, record in records.items():
        confirmed = _confirmed(state.get(key))
        if confirmed is None:
            kept.add(key)
            continue
        segments = (set(record.segments) - held) | (confirmed & held)
        if not segments and record.segments and not confirmed:
            continue  # only in held segments, and not in the destination yet
        ordered = tuple(sorted(segments))
        result[key] = replace(
            record, segments=ordered, payload_hash=payload_hash(record.fields, ordered)
        )
    for key, row in state.items():
        if key in records or row.status != "delivered":
            continue
        confirmed = _confirmed(row)
        if confirmed is None or confirmed & held:
            kept.add(key)
    return result, kept
