"""Per-access-token rate limits: a ten-second token bucket and a daily counter.

Defaults match a Professional private app: 190 requests per 10 s, 1,000,000 a day. The
daily count resets at UTC midnight. Every answer's X-HubSpot-RateLimit-* headers come
from here.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

INTERVAL_MILLISECONDS_HEADER = "X-HubSpot-RateLimit-Interval-Milliseconds"


@dataclass(frozen=True)
class RateLimitConfig:
    max_requests: int = 190
    interval_seconds: float = 10.0
    daily_limit: int = 1_000_000

    def __post_init__(self) -> None:
        if self.max_requests < 1 or self.interval_seconds <= 0 or self.daily_limit < 1:
            raise ValueError(f"invalid rate limit {self}")

    def to_dict(self) -> dict[str, float | int]:
        return {
            "maxRequests": self.max_requests,
            "intervalSeconds": self.interval_seconds,
            "dailyLimit": self.daily_limit,
        }


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    headers: dict[str, str]
    policy: str | None = None  # TEN_SECONDLY_ROLLING or DAILY when refused
    retry_after: int | None = None


@dataclass
class _Bucket:
    tokens: float
    refilled_at: float
    day: date
    used_today: int = 0


class RateLimiter:
    """Thread-safe limiter; clocks are injectable so tests need not sleep."""

    def __init__(
        self,
        config: RateLimitConfig | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config or RateLimitConfig()
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}

    def reset(self, config: RateLimitConfig | None = None) -> None:
        with self._lock:
            if config is not None:
                self.config = config
            self._buckets.clear()

    def _bucket(self, token: str) -> _Bucket:
        now, today = self._clock(), self._wall_clock().date()
        bucket = self._buckets.get(token)
        if bucket is None:
            bucket = _Bucket(float(self.config.max_requests), now, today)
            self._buckets[token] = bucket
        rate = self.config.max_requests / self.config.interval_seconds
        bucket.tokens = min(
            float(self.config.max_requests), bucket.tokens + (now - bucket.refilled_at) * rate
        )
        bucket.refilled_at = now
        if bucket.day != today:
            bucket.day, bucket.used_today = today, 0
        return bucket

    def _headers(self, tokens: float, used_today: int, *, remaining: int | None = None) -> dict:
        config = self.config
        left = math.floor(tokens) if remaining is None else remaining
        return {
            "X-HubSpot-RateLimit-Max": str(config.max_requests),
            "X-HubSpot-RateLimit-Remaining": str(max(0, left)),
            INTERVAL_MILLISECONDS_HEADER: str(round(config.interval_seconds * 1000)),
            "X-HubSpot-RateLimit-Daily": str(config.daily_limit),
            "X-HubSpot-RateLimit-Daily-Remaining": str(max(0, config.daily_limit - used_today)),
        }

    def acquire(self, token: str) -> RateDecision:
        """Spend one request of `token`'s allowance, or say which policy refuses it."""
        with self._lock:
            bucket = self._bucket(token)
            if bucket.used_today >= self.config.daily_limit:
                midnight = datetime.combine(
                    bucket.day + timedelta(days=1), datetime.min.time(), UTC
                )
                wait = math.ceil((midnight - self._wall_clock()).total_seconds())
                headers = self._headers(bucket.tokens, bucket.used_today)
                return RateDecision(False, headers, "DAILY", max(1, wait))
            if bucket.tokens < 1:
                rate = self.config.max_requests / self.config.interval_seconds
                wait = math.ceil((1 - bucket.tokens) / rate)
                headers = self._headers(bucket.tokens, bucket.used_today)
                return RateDecision(False, headers, "TEN_SECONDLY_ROLLING", max(1, wait))
            bucket.tokens -= 1
            bucket.used_today += 1
            return RateDecision(True, self._headers(bucket.tokens, bucket.used_today))

    def peek(self, token: str | None) -> dict[str, str]:
        """Headers for `token` without spending anything (used on 401 answers)."""
        with self._lock:
            bucket = self._buckets.get(token) if token is not None else None
            if bucket is None:
                return self._headers(float(self.config.max_requests), 0)
            bucket = self._bucket(token)
            return self._headers(bucket.tokens, bucket.used_today)

    def exhausted_headers(self, token: str) -> dict[str, str]:
        """Headers for an injected 429: the ten-second window shows nothing left."""
        with self._lock:
            bucket = self._bucket(token)
            return self._headers(bucket.tokens, bucket.used_today, remaining=0)
