"""The in-memory org: records per sObject, unique-value indexes, and undoable transactions.

All reads and writes go through one re-entrant lock. A write request runs inside
`transaction()`, which keeps an undo log: a request is applied entirely or, after
`rollback()` (allOrNone) or an exception, not at all.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .ids import normalize_id
from .objects import SObjectSpec, match_key


class RecordStore:
    """Records of every sObject type, keyed by 18-character id, in creation order."""

    def __init__(self, objects: dict[str, SObjectSpec]) -> None:
        self.objects = objects
        self.lock = threading.RLock()
        self._records: dict[str, dict[str, dict[str, Any]]] = {}
        self._index: dict[str, dict[str, dict[Any, str]]] = {}
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self._records = {name: {} for name in self.objects}
            self._index = {
                name: {f.name: {} for f in spec.indexed_fields}
                for name, spec in self.objects.items()
            }

    def get(self, sobject: str, record_id: str) -> dict[str, Any] | None:
        full_id = normalize_id(record_id)
        with self.lock:
            record = self._records[sobject].get(full_id) if full_id else None
            return copy.deepcopy(record) if record else None

    def find(self, sobject: str, field_name: str, value: Any) -> dict[str, Any] | None:
        """The record whose indexed field `field_name` matches `value`, if any."""
        if value is None:
            return None
        with self.lock:
            record_id = self._index[sobject][field_name].get(match_key(value))
            return self.get(sobject, record_id) if record_id else None

    def records(self, sobject: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._records[sobject].values()))

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        with self.lock:
            return {name: self.records(name) for name in self.objects}

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Hold the lock for a whole request; undo everything if the block raises."""
        with self.lock:
            txn = Transaction(self)
            try:
                yield txn
            except BaseException:
                txn.rollback()
                raise

    # Used by Transaction only (the lock is held).
    def _replace(self, sobject: str, record_id: str, record: dict[str, Any] | None) -> None:
        table = self._records[sobject]
        old = table.get(record_id)
        for field_name, index in self._index[sobject].items():
            if old is not None and old.get(field_name) is not None:
                index.pop(match_key(old[field_name]), None)
            if record is not None and record.get(field_name) is not None:
                index[match_key(record[field_name])] = record_id
        if record is None:
            table.pop(record_id, None)
        else:
            table[record_id] = record


class Transaction:
    """Writes made on behalf of one request, with the undo log to take them back."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self._undo: list[tuple[str, str, dict[str, Any] | None]] = []
        self.changed = False

    def put(self, sobject: str, record: dict[str, Any]) -> None:
        record_id = record["Id"]
        previous = self.store._records[sobject].get(record_id)
        self._undo.append((sobject, record_id, copy.deepcopy(previous)))
        self.store._replace(sobject, record_id, copy.deepcopy(record))
        self.changed = True

    def rollback(self) -> None:
        while self._undo:
            sobject, record_id, previous = self._undo.pop()
            self.store._replace(sobject, record_id, previous)
        self.changed = False
