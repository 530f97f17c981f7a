"""The request log behind GET /__sandbox/calls: what was called, what it did, what faulted."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any


@dataclass
class Call:
    """One logged request. `write` marks mutating requests; `applied` marks those that
    changed records; `status` is None when the connection was dropped without an answer."""

    seq: int
    time: float
    method: str
    path: str
    endpoint: str
    status: int | None
    write: bool
    applied: bool
    fault: str | None
    records: int | None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class CallLog:
    """Append-only, thread-safe list of calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []

    def add(self, **fields: Any) -> Call:
        with self._lock:
            call = Call(seq=len(self._calls) + 1, time=time.time(), **fields)
            self._calls.append(call)
            return call

    def clear(self) -> None:
        with self._lock:
            self._calls = []

    def summary(self) -> dict[str, Any]:
        with self._lock:
            calls = list(self._calls)
        return {
            "calls": [call.as_dict() for call in calls],
            "counts": dict(Counter(call.endpoint for call in calls)),
            "writes": sum(call.write for call in calls),
            "writes_applied": sum(call.applied for call in calls),
            "faults": dict(Counter(call.fault for call in calls if call.fault)),
        }
