"""Seeded fault injection: what goes wrong with a request, decided before it is handled.

Each fault kind draws from its own random stream seeded from (seed, kind), once per API
request (under /services/data/), so the faults a run sees depend only on the seed and the
order of requests, and changing one rate does not move the others.

- `error_503_rate` / `error_500_rate`: answer 503 SERVER_UNAVAILABLE / 500 UNKNOWN_EXCEPTION,
  nothing applied.
- `drop_before_rate`: close the connection without an answer, nothing applied.
- `drop_after_rate`: apply the request fully, then close without an answer.
- `slow_rate`: apply the request, then hold the answer `slow_seconds`.
- `limit_burst_rate`: start a burst of `limit_burst_length` requests answered 403
  REQUEST_LIMIT_EXCEEDED, nothing applied.
- `record_failure_rate`: per record of a collections call or bulk row, fail that record with
  one of `record_failure_codes` (with allOrNone, the whole call rolls back).
"""

from __future__ import annotations

import dataclasses
import random
import threading
from dataclasses import dataclass
from typing import Any

from .errors import RecordError

RECORD_FAILURE_MESSAGES = {
    "INVALID_EMAIL_ADDRESS": "Email: invalid email address: {email}",
    "UNABLE_TO_LOCK_ROW": "unable to obtain exclusive access to this record or 1 records: {id}",
    "DUPLICATES_DETECTED": "Use one of these records?",
    "FIELD_CUSTOM_VALIDATION_EXCEPTION": "Record rejected by a validation rule",
    "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY": "Trigger failed: System.LimitException",
}
RATE_FIELDS = (
    "error_503_rate",
    "error_500_rate",
    "slow_rate",
    "drop_before_rate",
    "drop_after_rate",
    "limit_burst_rate",
    "record_failure_rate",
)


@dataclass(frozen=True)
class FaultConfig:
    """Fault rates (0..1) and their parameters; all zero means a well-behaved server."""

    error_503_rate: float = 0.0
    error_500_rate: float = 0.0
    slow_rate: float = 0.0
    slow_seconds: float = 2.0
    drop_before_rate: float = 0.0
    drop_after_rate: float = 0.0
    limit_burst_rate: float = 0.0
    limit_burst_length: int = 3
    record_failure_rate: float = 0.0
    record_failure_codes: tuple[str, ...] = ("INVALID_EMAIL_ADDRESS", "UNABLE_TO_LOCK_ROW")

    def __post_init__(self) -> None:
        for name in RATE_FIELDS:
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {rate}")
        if self.slow_seconds < 0 or self.limit_burst_length < 1:
            raise ValueError("slow_seconds must be >= 0 and limit_burst_length >= 1")
        object.__setattr__(self, "record_failure_codes", tuple(self.record_failure_codes))
        unknown = set(self.record_failure_codes) - set(RECORD_FAILURE_MESSAGES)
        if unknown or not self.record_failure_codes:
            raise ValueError(
                f"record_failure_codes must be among {sorted(RECORD_FAILURE_MESSAGES)}"
            )

    def merged(self, changes: dict[str, Any]) -> FaultConfig:
        """A copy with `changes` applied (unknown names are an error)."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["record_failure_codes"] = list(self.record_failure_codes)
        return data


@dataclass(frozen=True)
class FaultPlan:
    """The faults chosen for one request."""

    drop_before: bool = False
    error_503: bool = False
    error_500: bool = False
    limit_exceeded: bool = False
    drop_after: bool = False
    slow: bool = False

    @property
    def name(self) -> str | None:
        """The fault that decides the outcome, in order of precedence."""
        for name in ("drop_before", "error_503", "error_500", "limit_exceeded", "drop_after"):
            if getattr(self, name):
                return name
        return "slow" if self.slow else None


class FaultInjector:
    """Thread-safe source of fault decisions, reproducible from its seed."""

    def __init__(self, config: FaultConfig | None = None, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self.config = config or FaultConfig()
        self.seed = seed
        self._streams: dict[str, random.Random] = {}
        self._burst_left = 0
        self.reseed(seed)

    def reseed(self, seed: int | None = None) -> None:
        with self._lock:
            if seed is not None:
                self.seed = seed
            self._streams = {
                kind: random.Random(f"{self.seed}:{kind}")
                for kind in (*RATE_FIELDS, "record_failure_code")
            }
            self._burst_left = 0

    def configure(self, config: FaultConfig) -> None:
        """New settings; a limit burst under way runs its course (reseed() ends it)."""
        with self._lock:
            self.config = config

    def _hit(self, kind: str) -> bool:
        # Always draw, so every stream advances once per request whatever the rates are.
        return self._streams[kind].random() < getattr(self.config, kind)

    def plan_request(self) -> FaultPlan:
        with self._lock:
            hits = {kind: self._hit(kind) for kind in RATE_FIELDS if kind != "record_failure_rate"}
            in_burst = self._burst_left > 0
            if in_burst:
                self._burst_left -= 1
            elif hits["limit_burst_rate"]:
                self._burst_left = self.config.limit_burst_length - 1
            return FaultPlan(
                drop_before=hits["drop_before_rate"],
                error_503=hits["error_503_rate"],
                error_500=hits["error_500_rate"],
                limit_exceeded=in_burst or hits["limit_burst_rate"],
                drop_after=hits["drop_after_rate"],
                slow=hits["slow_rate"],
            )

    def record_failure(self, record: dict[str, Any], record_id: str | None) -> RecordError | None:
        """An injected failure for one record, or None."""
        with self._lock:
            if not self._hit("record_failure_rate"):
                return None
            code = self._streams["record_failure_code"].choice(self.config.record_failure_codes)
        email = record.get("Email") or record.get("Email__c") or ""
        message = RECORD_FAILURE_MESSAGES[code].format(email=email, id=record_id or "")
        return RecordError(code, message, ["Email"] if code == "INVALID_EMAIL_ADDRESS" else [])
