"""Run settings of one batch: time units (microseconds) and the periods derived from the
arguments of ``generate``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class Run:
    """Arguments of one ``generate`` call; times are microseconds since the epoch."""

    out_dir: Path
    contacts: int
    events: int
    seed: int
    end: date
    days: int
    batch: str
    increment_days: int

    @property
    def end_us(self) -> int:
        return (self.end - date(1970, 1, 1)).days * DAY

    @property
    def start_us(self) -> int:
        return self.end_us - self.days * DAY

    @property
    def inc_end_us(self) -> int:
        return self.end_us + self.increment_days * DAY

    @property
    def far_us(self) -> int:
        """Stands for "never" in device windows."""
        return self.end_us + 3650 * DAY

    @property
    def is_base(self) -> bool:
        return self.batch == "base"

    @property
    def period(self) -> tuple[int, int]:
        """Event timestamps of this batch's own events lie in [lo, hi)."""
        if self.is_base:
            return self.start_us, self.end_us
        return self.end_us, self.inc_end_us

    @property
    def recv_end_us(self) -> int:
        """Every received_at of this batch is before this."""
        return self.period[1]

    @property
    def file_name(self) -> str:
        return "base.parquet" if self.is_base else f"increment-{self.end.isoformat()}.parquet"

    @property
    def batch_events(self) -> int:
        if self.is_base:
            return self.events
        return round(self.events * self.increment_days / self.days)
