"""Token buckets, one per destination account, shared by every sync using that account."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """`capacity` requests per `period` seconds, refilled continuously."""

    def __init__(
        self,
        capacity: int,
        period: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.capacity = capacity
        self.rate = capacity / period
        self._tokens = float(capacity)
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until a request may be made, then take its token."""
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                wait = (1 - self._tokens) / self.rate
            self._sleep(wait)

    def drain(self) -> None:
        """Empty the bucket (the server said 429: it knows better than our count)."""
        with self._lock:
            self._tokens = 0.0
            self._last = self._clock()


_buckets: dict[str, TokenBucket] = {}
_registry_lock = threading.Lock()


def bucket_for(account: str, capacity: int, period: float) -> TokenBucket:
    """The process-wide bucket of one destination account."""
    with _registry_lock:
        if account not in _buckets:
            _buckets[account] = TokenBucket(capacity, period)
        return _buckets[account]
