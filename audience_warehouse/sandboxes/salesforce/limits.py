"""The org's daily API request allocation and the `Sforce-Limit-Info` header.

Each authenticated request under /services/data/ uses one call. Once `used` reaches `limit`,
requests are refused with 403 REQUEST_LIMIT_EXCEEDED and use nothing. The real limit is a
rolling 24 hours; here usage only goes down through `set(used=...)` or `reset()`.
"""

from __future__ import annotations

import threading

DEFAULT_DAILY_LIMIT = 15000
LIMIT_EXCEEDED_MESSAGE = "TotalRequests Limit exceeded."


class ApiUsage:
    """A thread-safe counter of API calls against a daily limit."""

    def __init__(self, limit: int = DEFAULT_DAILY_LIMIT) -> None:
        self._lock = threading.Lock()
        self.limit = limit
        self.used = 0

    def try_consume(self) -> bool:
        """Use one call; False (and nothing used) when the limit is already reached."""
        with self._lock:
            if self.used >= self.limit:
                return False
            self.used += 1
            return True

    def set(self, *, used: int | None = None, limit: int | None = None) -> None:
        with self._lock:
            if used is not None:
                self.used = max(0, used)
            if limit is not None:
                self.limit = max(0, limit)

    def reset(self) -> None:
        self.set(used=0)

    def header(self) -> str:
        with self._lock:
            return f"api-usage={self.used}/{self.limit}"

    def remaining(self) -> int:
        with self._lock:
            return max(0, self.limit - self.used)
