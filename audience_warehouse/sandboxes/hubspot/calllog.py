"""The request log behind GET /__sandbox/calls: every HubSpot request and what became of it."""

from __future__ import annotations

import threading
from collections import Counter, deque
from typing import Any

MAX_LOGGED_CALLS = 100_000


class CallLog:
    """Thread-safe; keeps the latest MAX_LOGGED_CALLS entries and counts over all of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._calls: deque[dict[str, Any]] = deque(maxlen=MAX_LOGGED_CALLS)
            self._by_endpoint: Counter[str] = Counter()
            self._by_status: Counter[str] = Counter()
            self._sequence = 0

    def record(
        self,
        *,
        method: str,
        path: str,
        endpoint: str | None,
        status: int | None,
        write: bool,
        applied: bool,
        fault: str | None,
        duration_ms: float,
    ) -> None:
        """`status` is None when the connection was dropped without an answer."""
        with self._lock:
            self._sequence += 1
            self._calls.append(
                {
                    "seq": self._sequence,
                    "method": method,
                    "path": path,
                    "endpoint": endpoint,
                    "status": status,
                    "write": write,
                    "applied": applied,
                    "fault": fault,
                    "durationMs": round(duration_ms, 1),
                }
            )
            self._by_endpoint[endpoint or f"{method} (no route)"] += 1
            self._by_status["dropped" if status is None else str(status)] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self._sequence,
                "calls": [dict(c) for c in self._calls],
                "countsByEndpoint": dict(self._by_endpoint),
                "countsByStatus": dict(self._by_status),
            }
