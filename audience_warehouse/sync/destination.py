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


@dataclass(frozen=True)
class ListChange:
    """Records (destination ids) to add to and remove from one segment's list."""

    segment: str
    add: tuple[str, ...]
    remove: tuple[str, ...]


class Destination(Protocol):
    """A destination object. Calls raise RetryableError for transient failures; per-record
    rejections come back as Outcome(ok=False, error=...).

    Segment membership travels either with the record (a multi-select field: `uses_lists`
    is False) or in one list per segment (`uses_lists` True): the engine then gathers
    every membership change of the run and hands them over per list, so list calls do
    not multiply with batches."""

    name: str
    account: str
    batch_size: int
    uses_lists: bool
    list_batch_size: int

    def prepare(self, segments: Sequence[str], fields: Sequence[str], memo: dict[str, str]) -> None:
        """Create what the sync needs (custom properties, segment lists) if missing.
        `memo` holds ids remembered from earlier runs (e.g. list ids by name); add to it
        what was created or found, and the engine keeps it in the warehouse."""

    def upsert(self, records: Sequence[Record], *, create: bool, update: bool) -> list[Outcome]:
        """Write the records (matched on their key): create missing ones if `create`,
        update existing ones if `update`; fields and segment memberships both."""

    def remove(self, records: Sequence[Record], *, delete: bool) -> list[Outcome]:
        """Records that left the sync: delete them when `delete` (mirror mode, only
        records this sync created); otherwise clear what the sync set on them."""

    def update_list(self, change: ListChange) -> None:
        """Apply one list's membership change (idempotent: adding a member twice or
        removing a non-member is harmless)."""
