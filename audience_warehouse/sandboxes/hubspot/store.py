"""The sandbox portal's in-memory state: contacts, property definitions and lists.

One re-entrant lock guards everything; the operation modules (contacts, properties, lists)
hold it for the whole of a request so a request is applied entirely or not at all.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .catalog import standard_properties

FIRST_CONTACT_ID = 1001
FIRST_LIST_ID = 1


def now_iso() -> str:
    """Current UTC time the way HubSpot writes it: 2024-05-01T12:00:00.123Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Contact:
    id: str
    properties: dict[str, str]
    created_at: str
    updated_at: str

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "properties": dict(self.properties),
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        }


@dataclass
class ContactList:
    list_id: str
    name: str
    object_type_id: str
    processing_type: str
    created_at: str
    updated_at: str
    filter_branch: dict[str, Any] | None = None
    list_version: int = 1
    members: dict[str, str] = field(default_factory=dict)  # record id -> membershipTimestamp

    def public(self, *, include_filters: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "listId": self.list_id,
            "listVersion": self.list_version,
            "name": self.name,
            "objectTypeId": self.object_type_id,
            "processingStatus": "COMPLETE",
            "processingType": self.processing_type,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "filtersUpdatedAt": self.created_at,
            "createdById": "1",
            "updatedById": "1",
            "size": len(self.members),
            "additionalProperties": {"hs_list_size": str(len(self.members))},
        }
        if include_filters and self.filter_branch is not None:
            body["filterBranch"] = self.filter_branch
        return body


class PortalState:
    """Everything one sandbox portal holds; reset() brings it back to a fresh portal."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.created_at = now_iso()
            self.contacts: dict[str, Contact] = {}
            self.email_index: dict[str, str] = {}
            self.properties: dict[str, dict[str, Any]] = standard_properties(self.created_at)
            self.lists: dict[str, ContactList] = {}
            self._next_contact_id = FIRST_CONTACT_ID
            self._next_list_id = FIRST_LIST_ID

    def new_contact_id(self) -> str:
        with self.lock:
            value = self._next_contact_id
            self._next_contact_id += 1
            return str(value)

    def new_list_id(self) -> str:
        with self.lock:
            value = self._next_list_id
            self._next_list_id += 1
            return str(value)

    def contact_by_email(self, email: str) -> Contact | None:
        contact_id = self.email_index.get(email.strip().lower())
        return self.contacts.get(contact_id) if contact_id is not None else None

    def list_by_name(self, name: str) -> ContactList | None:
        return next((item for item in self.lists.values() if item.name == name), None)

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy of the whole portal, for tests (GET /__sandbox/state)."""
        with self.lock:
            return {
                "contacts": [c.public() for c in self.contacts.values()],
                "lists": [
                    {
                        **item.public(include_filters=True),
                        "memberIds": sorted(item.members, key=int),
                    }
                    for item in self.lists.values()
                ],
                "properties": [dict(p) for p in self.properties.values()],
            }
