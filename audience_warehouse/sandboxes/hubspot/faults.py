"""Fault injection: seeded, deterministic decisions about which requests misbehave.

Each fault kind draws from its own random stream (derived from the seed and the kind's
name) once per eligible request, so changing one rate never shifts another kind's pattern,
and the same seed with the same request sequence gives the same faults.

Faults never corrupt state: throttling, 5xx answers and "drop before" skip the handler
entirely; "drop after" runs it to completion and only then closes the socket; slow answers
sleep first and then handle the request normally.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from dataclasses import dataclass, field
from typing import Any

KINDS = ("429", "drop_before", "500", "502", "503", "slow", "drop_after", "partial")


@dataclass(frozen=True)
class FaultConfig:
    """Probabilities (0..1) of each fault per request, and how each fault behaves."""

    rate_429: float = 0.0  # chance a request starts a burst of 429s
    burst_length: int = 3  # consecutive 429s in one burst (the first included)
    retry_after_seconds: int = 1  # Retry-After sent with injected 429s
    rate_500: float = 0.0
    rate_502: float = 0.0
    rate_503: float = 0.0
    rate_slow: float = 0.0
    slow_seconds: float = 2.0  # sleep before answering a "slow" request
    rate_drop_before: float = 0.0  # close the socket, request NOT applied
    rate_drop_after: float = 0.0  # apply the request, then close the socket unanswered
    rate_partial: float = 0.0  # batch upsert answers 207 with some inputs failed
    partial_share: float = 0.2  # share of a batch's inputs failed by an injected 207
    paths: tuple[str, ...] = field(default=())  # only requests under these prefixes (empty: all)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if (f.name.startswith("rate_") or f.name == "partial_share") and not 0 <= value <= 1:
                raise ValueError(f"{f.name} must be within 0..1, got {value}")
        if self.burst_length < 1 or self.retry_after_seconds < 0 or self.slow_seconds < 0:
            raise ValueError(f"invalid fault settings {self}")
        object.__setattr__(self, "paths", tuple(self.paths))

    def to_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        values["paths"] = list(self.paths)
        return values

    def merged(self, changes: dict[str, Any]) -> FaultConfig:
        if "paths" in changes:
            changes = {**changes, "paths": tuple(changes["paths"])}
        return dataclasses.replace(self, **changes)

    def rate(self, kind: str) -> float:
        return getattr(self, f"rate_{kind}")


@dataclass(frozen=True)
class FaultPlan:
    """What to do to one request, decided before it is handled."""

    throttle: int | None = None  # position (1-based) within a 429 burst
    drop_before: bool = False
    error_status: int | None = None  # 500, 502 or 503
    slow_seconds: float = 0.0
    drop_after: bool = False
    partial: bool = False

    def label(self) -> str | None:
        """The faults actually applied, in order, e.g. "slow+500"; None for a clean request."""
        parts = ["slow"] if self.slow_seconds else []
        if self.throttle is not None:
            parts.append("429_burst")
        elif self.drop_before:
            parts.append("drop_before")
        elif self.error_status is not None:
            parts.append(str(self.error_status))
        else:
            parts += [
                name
                for name, on in (("partial", self.partial), ("drop_after", self.drop_after))
                if on
            ]
        return "+".join(parts) or None


class FaultInjector:
    def __init__(self, config: FaultConfig | None = None, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig(), seed)

    def configure(self, config: FaultConfig, seed: int) -> None:
        """Install settings and restart every random stream from `seed`; ends any burst."""
        with self._lock:
            self.config, self.seed = config, seed
            self._streams = {kind: random.Random(f"{seed}:{kind}") for kind in KINDS}
            self._burst_left = 0
            self._burst_position = 0

    def applies_to(self, path: str) -> bool:
        paths = self.config.paths
        return not paths or any(path.startswith(prefix) for prefix in paths)

    def _hit(self, kind: str) -> bool:
        return self._streams[kind].random() < self.config.rate(kind)

    def plan(self, path: str, *, is_batch_upsert: bool) -> FaultPlan:
        if not self.applies_to(path):
            return FaultPlan()
        with self._lock:
            config = self.config
            hits = {k: self._hit(k) for k in KINDS if k != "partial"}
            partial = is_batch_upsert and self._hit("partial")
            throttle = None
            if self._burst_left > 0:
                self._burst_left -= 1
                self._burst_position += 1
                throttle = self._burst_position
            elif hits["429"]:
                self._burst_left, self._burst_position = config.burst_length - 1, 1
                throttle = 1
            status = next((int(k) for k in ("500", "502", "503") if hits[k]), None)
            return FaultPlan(
                throttle=throttle,
                drop_before=hits["drop_before"],
                error_status=status,
                slow_seconds=config.slow_seconds if hits["slow"] else 0.0,
                drop_after=hits["drop_after"],
                partial=partial,
            )

    def failing_inputs(self, count: int) -> set[int]:
        """Indexes of the inputs an injected 207 fails: a share of them, at least one."""
        if count == 0:
            return set()
        with self._lock:
            share = max(1, round(count * self.config.partial_share))
            return set(self._streams["partial"].sample(range(count), min(count, share)))
