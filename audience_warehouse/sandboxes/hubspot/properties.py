"""Contact property definitions API: create a custom property, read one, list them all."""

from __future__ import annotations

from typing import Any

from .catalog import FIELD_TYPES_BY_TYPE, STANDARD_GROUPS, definition
from .errors import HubSpotError, not_found
from .store import PortalState, now_iso

_BOOL_OPTIONS = [
    {"label": "Yes", "value": "true", "hidden": False, "displayOrder": 0},
    {"label": "No", "value": "false", "hidden": False, "displayOrder": 1},
]


def _options(body: dict[str, Any]) -> list[dict[str, Any]]:
    given = body.get("options")
    if not given:
        return [dict(o) for o in _BOOL_OPTIONS] if body["type"] == "bool" else []
    values = [o["value"] for o in given]
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise HubSpotError(400, f"Duplicate option values: {', '.join(repeated)}")
    return [
        {
            "label": o["label"],
            "value": o["value"],
            "hidden": o.get("hidden", False),
            "displayOrder": o.get("displayOrder", index),
            **({"description": o["description"]} if "description" in o else {}),
        }
        for index, o in enumerate(given)
    ]


def create_property(state: PortalState, body: dict[str, Any]) -> dict[str, Any]:
    name, type_, field_type = body["name"], body["type"], body["fieldType"]
    if field_type not in FIELD_TYPES_BY_TYPE[type_]:
        allowed = ", ".join(sorted(FIELD_TYPES_BY_TYPE[type_]))
        raise HubSpotError(
            400, f"fieldType {field_type} is not valid for a property of type {type_} ({allowed})"
        )
    if body["groupName"] not in STANDARD_GROUPS:
        raise HubSpotError(400, f"Property group {body['groupName']} does not exist.")
    option_list = _options(body)
    with state.lock:
        if name in state.properties:
            raise HubSpotError(
                409,
                f"Property named '{name}' already exists.",
                "OBJECT_ALREADY_EXISTS",
                context={"name": [name]},
            )
        extra = {
            key: body[key]
            for key in ("displayOrder", "hasUniqueValue", "hidden", "formField", "externalOptions")
            if key in body
        }
        created = definition(
            name,
            body["label"],
            type_,
            field_type,
            group=body["groupName"],
            option_list=option_list,
            description=body.get("description", ""),
            hubspot_defined=False,
            created_at=now_iso(),
            extra={"createdUserId": "1", "updatedUserId": "1", **extra},
        )
        state.properties[name] = created
        return dict(created)


def get_property(state: PortalState, name: str) -> dict[str, Any]:
    with state.lock:
        found = state.properties.get(name)
        if found is None:
            raise not_found(f"Property {name} does not exist", name=[name])
        return dict(found)


def list_properties(state: PortalState) -> dict[str, Any]:
    with state.lock:
        return {"results": [dict(p) for p in state.properties.values()]}
