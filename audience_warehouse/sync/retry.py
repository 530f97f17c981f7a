"""Retry transient failures with exponential backoff and full jitter, honouring Retry-After."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from audience_warehouse.sync.destination import RetryableError

T = TypeVar("T")


@dataclass
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    random: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        if retry_after is not None:
            return min(self.max_delay, retry_after + self.random.uniform(0, self.base_delay))
        return self.random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


class RetriesExhausted(Exception):
    """A call kept failing with retryable errors: the run stops, state stays consistent."""


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    on_retry: Callable[[RetryableError], None] | None = None,
) -> T:
    for attempt in range(1, policy.max_attempts + 1):
        try:
            return call()
        except RetryableError as error:
            if attempt == policy.max_attempts:
                raise RetriesExhausted(f"gave up after {attempt} attempts: {error}") from error
            if on_retry is not None:
                on_retry(error)
            policy.sleep(policy.delay(attempt, error.retry_after))
    raise AssertionError("unreachable")
