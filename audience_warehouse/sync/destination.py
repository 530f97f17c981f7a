"""The interface every destination implements, and what it reports back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Record:
    """One row of a sync model: the match key value, mapped fields and synced segments."""

    key: str
    fields: dict[str, Any]
    segments: tuple[str, ...]
    payload_hash: str


@dataclass(frozen=True)
class Outcome:
    """What the destination said about one record of a batch."""

    key: str
    ok: bool
    destination_id: str | None = None
    created: bool = False
    error: str | None = None
    created_at: datetime | None = None  # when the destination created the record (UTC)


class RetryableError(Exception):
    """A failure worth retrying (429, 5xx, timeout, dropped connection)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Destination(Protocol):
    """A destination object. Calls raise RetryableError for transient failures; per-record
    rejections come back as Outcome(ok=False, error=...)."""

    name: str
    account: str
    batch_size: int

    def prepare(self, segments: Sequence[str]) -> None:
        """Create what the sync needs (custom properties, lists) if missing."""

    def upsert(self, records: Sequence[Record], *, create: bool, update: bool) -> list[Outcome]:
        """Write the records (matched on their key): create missing ones if `create`,
        update existing ones if `update`; fields and segment memberships both."""

    def remove(self, records: Sequence[Record], *, delete: bool) -> list[Outcome]:
        """Records that left the sync: take them out of every segment list, and delete
        them when `delete` (mirror mode, only records this sync created)."""
