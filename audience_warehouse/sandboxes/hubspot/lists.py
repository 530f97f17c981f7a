"""Lists v3 operations: create, find by name or id, change and page through memberships.

Only MANUAL and SNAPSHOT lists take membership writes; the sandbox never evaluates the
filters of a DYNAMIC list, so such a list stays empty.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any

from .errors import HubSpotError, not_found
from .store import ContactList, PortalState, now_iso

CONTACTS_OBJECT_TYPE = "0-1"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 250
WRITABLE = frozenset({"MANUAL", "SNAPSHOT"})


def _check_object_type(object_type_id: str) -> None:
    if object_type_id != CONTACTS_OBJECT_TYPE:
        raise HubSpotError(
            400,
            f"objectTypeId {object_type_id} is not supported: "
            f"this sandbox only holds contacts ({CONTACTS_OBJECT_TYPE})",
        )


def create_list(state: PortalState, body: dict[str, Any]) -> dict[str, Any]:
    _check_object_type(body["objectTypeId"])
    with state.lock:
        if state.list_by_name(body["name"]) is not None:
            raise HubSpotError(
                400,
                f"A list named '{body['name']}' already exists.",
                sub_category="ILS.DUPLICATE_LIST_NAMES",
                context={"listName": [body["name"]]},
            )
        stamp = now_iso()
        created = ContactList(
            list_id=state.new_list_id(),
            name=body["name"],
            object_type_id=body["objectTypeId"],
            processing_type=body["processingType"],
            created_at=stamp,
            updated_at=stamp,
            filter_branch=body.get("filterBranch"),
        )
        state.lists[created.list_id] = created
        return {"list": created.public()}


def _list(state: PortalState, list_id: str) -> ContactList:
    found = state.lists.get(list_id)
    if found is None:
        raise not_found(f"List {list_id} does not exist.", listId=[list_id])
    return found


def get_list(state: PortalState, list_id: str, include_filters: bool) -> dict[str, Any]:
    with state.lock:
        return {"list": _list(state, list_id).public(include_filters=include_filters)}


def get_list_by_name(
    state: PortalState, object_type_id: str, name: str, include_filters: bool
) -> dict[str, Any]:
    with state.lock:
        found = state.list_by_name(name)
        if found is None or found.object_type_id != object_type_id:
            raise not_found(f"List with name '{name}' does not exist.", listName=[name])
        return {"list": found.public(include_filters=include_filters)}


def _unique(ids: Iterable[str | int]) -> list[str]:
    return list(dict.fromkeys(str(i).strip() for i in ids))


def change_memberships(
    state: PortalState, list_id: str, to_add: Iterable[str | int], to_remove: Iterable[str | int]
) -> dict[str, Any]:
    """Add then remove record ids; ids of records that do not exist are reported, not stored."""
    with state.lock:
        target = _list(state, list_id)
        if target.processing_type not in WRITABLE:
            raise HubSpotError(
                400,
                f"List {list_id} has processingType {target.processing_type}: memberships can only "
                "be changed by hand for MANUAL or SNAPSHOT lists.",
                context={"listId": [list_id]},
            )
        added, removed, missing = [], [], []
        stamp = now_iso()
        for record_id in _unique(to_add):
            if record_id not in state.contacts:
                missing.append(record_id)
            elif record_id not in target.members:
                target.members[record_id] = stamp
                added.append(record_id)
        for record_id in _unique(to_remove):
            if record_id not in state.contacts:
                if record_id not in missing:
                    missing.append(record_id)
            elif target.members.pop(record_id, None) is not None:
                removed.append(record_id)
        if added or removed:
            target.updated_at = stamp
        return {"recordsIdsAdded": added, "recordIdsRemoved": removed, "recordIdsMissing": missing}


def _encode_cursor(record_id: str) -> str:
    return base64.urlsafe_b64encode(record_id.encode()).decode().rstrip("=")


def _decode_cursor(after: str) -> int:
    try:
        text = base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)).decode()
        return int(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise HubSpotError(400, f"Invalid value for 'after': {after}") from None


def _page_size(limit: str | None) -> int:
    if limit is None:
        return DEFAULT_PAGE_SIZE
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_PAGE_SIZE:
        raise HubSpotError(
            400, f"limit must be an integer between 1 and {MAX_PAGE_SIZE}, got {limit}"
        )
    return int(limit)


def get_memberships(
    state: PortalState, list_id: str, limit: str | None, after: str | None
) -> dict[str, Any]:
    """One page of members ordered by record id; `paging.next.after` is an opaque cursor."""
    size = _page_size(limit)
    start = _decode_cursor(after) if after else None
    with state.lock:
        target = _list(state, list_id)
        ordered = sorted(target.members.items(), key=lambda item: int(item[0]))
        total = len(ordered)
    if start is not None:
        ordered = [item for item in ordered if int(item[0]) > start]
    page = ordered[:size]
    reply: dict[str, Any] = {
        "results": [{"recordId": rid, "membershipTimestamp": ts} for rid, ts in page],
        "total": total,
    }
    if len(ordered) > size:
        reply["paging"] = {"next": {"after": _encode_cursor(page[-1][0])}}
    return reply
