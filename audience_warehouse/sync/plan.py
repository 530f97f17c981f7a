"""What a run must do: records to add, change and remove, by sync mode.

upsert       create new records, update changed ones, take removed ones out of every list
update_only  update records the destination already has (new ones are rejected there)
create_only  create new records only; never touch existing or removed ones
mirror       as upsert, and delete removed records that this sync itself created
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from audience_warehouse.sync.destination import Record
from audience_warehouse.sync.state import StateRow

MODES = ("upsert", "update_only", "create_only", "mirror")


@dataclass(frozen=True)
class Plan:
    mode: str
    added: list[Record]
    changed: list[Record]
    removed: list[Record]
    unchanged: int
    held_back: int = 0  # delivered records left untouched for held-back segments

    @property
    def to_upsert(self) -> list[Record]:
        return self.added if self.mode == "create_only" else self.added + self.changed

    @property
    def to_remove(self) -> list[Record]:
        return [] if self.mode == "create_only" else self.removed


def make_plan(
    records: dict[str, Record],
    state: dict[str, StateRow],
    mode: str,
    keep: Collection[str] = (),
    unchanged_elsewhere: int = 0,
) -> Plan:
    """`keep`: delivered keys to leave as they are (see hold.py), whatever the records say.
    `records` and `state` may be only the rows that can have changed (diff.py); the rows
    left out are counted in `unchanged_elsewhere`."""
    if mode not in MODES:
        raise ValueError(f"unknown sync mode {mode!r}; one of {', '.join(MODES)}")
    delivered = {key: row for key, row in state.items() if row.status == "delivered"}
    added, changed, unchanged = [], [], unchanged_elsewhere
    for key in sorted(records):
        if key in keep:
            continue
        record = records[key]
        row = delivered.get(key)
        if row is None:
            added.append(record)
        elif row.payload_hash != record.payload_hash:
            changed.append(record)
        else:
            unchanged += 1
    removed = [
        Record(key, {}, (), "")
        for key in sorted(delivered)
        if key not in records and key not in keep
    ]
    return Plan(mode, added, changed, removed, unchanged, held_back=len(keep))
