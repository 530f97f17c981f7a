"""Contact operations: batch upsert by email, batch read, and read one.

Each operation validates every input first and then applies the valid ones under the portal
lock, so a request is never half-applied. Inputs that fail come back as HubSpot's 207 errors.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from .catalog import (
    BASE_READ_PROPERTIES,
    DEFAULT_READ_PROPERTIES,
    PropertyProblem,
    as_text,
    check_value,
    is_valid_email,
)
from .errors import HubSpotError, not_found
from .store import Contact, PortalState, now_iso

MAX_BATCH_INPUTS = 100
MAX_HISTORY_BATCH_INPUTS = 50
BATCH_LIMIT_MESSAGE = (
    "The maximum number of inputs supported in a batch is 100. "
    "Please reduce the number of items and try again"
)
HISTORY_LIMIT_MESSAGE = (
    "The maximum number of inputs supported in a batch request for property histories is 50"
)
READ_MISSING_MESSAGE = (
    "Could not get some CONTACT objects, they may be deleted or not exist. "
    "Check that ids are valid."
)


def _check_batch_size(inputs: list[Any]) -> None:
    if len(inputs) > MAX_BATCH_INPUTS:
        raise HubSpotError(400, BATCH_LIMIT_MESSAGE)


def _input_error(input_id: str, problems: list[PropertyProblem]) -> dict[str, Any]:
    results = json.dumps([p.as_result() for p in problems], separators=(",", ":"))
    return {
        "status": "error",
        "category": "VALIDATION_ERROR",
        "message": f"Property values were not valid: {results}",
        "context": {"ids": [input_id], "propertyNames": [p.name for p in problems]},
        "errors": [{"message": p.message, "code": p.code, "in": p.name} for p in problems],
        "links": {},
    }


def _problems(state: PortalState, item: dict[str, Any], injected: bool) -> list[PropertyProblem]:
    email = item["id"].strip()
    if injected or not is_valid_email(email):
        return [PropertyProblem("email", "INVALID_EMAIL", f"Email address {email} is invalid")]
    found = []
    for name, raw in item["properties"].items():
        value = as_text(raw)
        if name == "email" and value.strip().lower() == email.lower():
            continue
        problem = check_value(state.properties.get(name), name, value)
        if problem is not None:
            found.append(problem)
    return found


def _write(state: PortalState, item: dict[str, Any], stamp: str) -> tuple[Contact, bool]:
    email = item["id"].strip().lower()
    values = {k: as_text(v) for k, v in item["properties"].items() if k != "email"}
    contact = state.contact_by_email(email)
    if contact is None:
        contact_id = state.new_contact_id()
        contact = Contact(contact_id, {}, stamp, stamp)
        contact.properties.update(
            {
                "email": email,
                "hs_object_id": contact_id,
                "createdate": stamp,
                "lastmodifieddate": stamp,
            }
        )
        contact.properties.update(values)
        state.contacts[contact_id] = contact
        state.email_index[email] = contact_id
        return contact, True
    if any(contact.properties.get(k) != v for k, v in values.items()):
        contact.properties.update(values)
        contact.updated_at = stamp
        contact.properties["lastmodifieddate"] = stamp
    return contact, False


def batch_upsert(
    state: PortalState, body: dict[str, Any], failing: Collection[int] = ()
) -> tuple[int, dict[str, Any]]:
    """Upsert contacts by email. `failing` holds input indexes the fault injector fails."""
    started = now_iso()
    inputs = body["inputs"]
    _check_batch_size(inputs)
    seen: dict[str, int] = {}
    for item in inputs:
        key = item["id"].strip().lower()
        seen[key] = seen.get(key, 0) + 1
    duplicates = [key for key, count in seen.items() if count > 1]
    if duplicates:
        raise HubSpotError(
            400,
            f"Duplicate IDs found in batch input: [{', '.join(duplicates)}]. IDs must be unique",
        )
    results, errors = [], []
    with state.lock:
        checked = [(item, _problems(state, item, i in failing)) for i, item in enumerate(inputs)]
        stamp = now_iso()
        for item, problems in checked:
            if problems:
                errors.append(_input_error(item["id"], problems))
                continue
            contact, created = _write(state, item, stamp)
            results.append({**contact.public(), "new": created, "archived": False})
    reply: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": now_iso(),
    }
    if errors:
        reply.update(numErrors=len(errors), errors=errors)
        return 207, reply
    return 200, reply


def _readable(state: PortalState, contact: Contact, names: list[str]) -> dict[str, Any]:
    wanted = [n for n in names if n in state.properties] if names else list(DEFAULT_READ_PROPERTIES)
    wanted += [n for n in BASE_READ_PROPERTIES if n not in wanted]
    return {name: contact.properties.get(name) for name in wanted}


def _history(state: PortalState, contact: Contact, names: list[str]) -> dict[str, Any]:
    return {
        name: [
            {
                "value": contact.properties[name],
                "timestamp": contact.updated_at,
                "sourceType": "API",
            }
        ]
        for name in names
        if name in state.properties and name in contact.properties
    }


def _present(state: PortalState, contact: Contact, names: list[str], history: list[str]):
    result = {**contact.public(), "archived": False, "properties": _readable(state, contact, names)}
    if history:
        result["propertiesWithHistory"] = _history(state, contact, history)
    return result


def _find(state: PortalState, key: str, id_property: str | None) -> Contact | None:
    if id_property == "email":
        return state.contact_by_email(key)
    return state.contacts.get(key.strip())


def batch_read(state: PortalState, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    started = now_iso()
    inputs = body["inputs"]
    _check_batch_size(inputs)
    history = body.get("propertiesWithHistory") or []
    if history and len(inputs) > MAX_HISTORY_BATCH_INPUTS:
        raise HubSpotError(400, HISTORY_LIMIT_MESSAGE)
    names = body.get("properties") or []
    results, missing, returned = [], [], set()
    with state.lock:
        for item in inputs:
            contact = _find(state, item["id"], body.get("idProperty"))
            if contact is None:
                missing.append(item["id"])
            elif contact.id not in returned:
                returned.add(contact.id)
                results.append(_present(state, contact, names, history))
    reply: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": now_iso(),
    }
    if missing:
        error = {
            "status": "error",
            "category": "OBJECT_NOT_FOUND",
            "message": READ_MISSING_MESSAGE,
            "context": {"ids": missing},
            "errors": [],
            "links": {},
        }
        reply.update(numErrors=1, errors=[error])
        return 207, reply
    return 200, reply


def get_contact(
    state: PortalState, key: str, id_property: str | None, names: list[str]
) -> dict[str, Any]:
    with state.lock:
        contact = _find(state, key, id_property)
        if contact is None:
            raise not_found("Object not found.  objectId are usually numeric.", id=[key])
        return _present(state, contact, names, [])
