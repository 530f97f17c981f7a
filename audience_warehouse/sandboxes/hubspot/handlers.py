"""HubSpot endpoint handlers: turn one HTTP request into a call on the portal state.

Each handler takes the request context, the request and its path parameters, validates the
body against its JSON Schema, and returns a Reply; errors are raised as HubSpotError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from . import contacts, lists, properties
from .faults import FaultInjector, FaultPlan
from .messages import SandboxRequest
from .store import PortalState
from .validation import parse_body


@dataclass(frozen=True)
class Reply:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    state: PortalState
    injector: FaultInjector
    plan: FaultPlan
    base_url: str


Handler = Callable[[Context, SandboxRequest, dict[str, str]], Reply]


def batch_upsert(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    body = parse_body(req.body, "batch_upsert_contacts")
    inputs = body["inputs"]
    partial = ctx.plan.partial and len(inputs) <= contacts.MAX_BATCH_INPUTS
    failing = ctx.injector.failing_inputs(len(inputs)) if partial else set()
    return Reply(*contacts.batch_upsert(ctx.state, body, failing))


def batch_read(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    body = parse_body(req.body, "batch_read_contacts")
    return Reply(*contacts.batch_read(ctx.state, body))


def get_contact(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    id_property = req.arg("idProperty")
    names = req.args("properties")
    return Reply(200, contacts.get_contact(ctx.state, params["contactId"], id_property, names))


def create_property(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    body = parse_body(req.body, "property_create")
    created = properties.create_property(ctx.state, body)
    location = f"{ctx.base_url}/crm/v3/properties/contacts/{quote(created['name'])}"
    return Reply(201, created, {"Location": location})


def list_properties(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    return Reply(200, properties.list_properties(ctx.state))


def get_property(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    return Reply(200, properties.get_property(ctx.state, params["propertyName"]))


def create_list(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    body = parse_body(req.body, "list_create")
    return Reply(200, lists.create_list(ctx.state, body))


def list_by_name(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    found = lists.get_list_by_name(
        ctx.state, params["objectTypeId"], params["listName"], req.flag("includeFilters")
    )
    return Reply(200, found)


def get_list(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    return Reply(200, lists.get_list(ctx.state, params["listId"], req.flag("includeFilters")))


def add_members(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    ids = parse_body(req.body, "memberships_record_ids")
    return Reply(200, lists.change_memberships(ctx.state, params["listId"], ids, []))


def remove_members(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    ids = parse_body(req.body, "memberships_record_ids")
    return Reply(200, lists.change_memberships(ctx.state, params["listId"], [], ids))


def add_and_remove(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    body = parse_body(req.body, "memberships_add_and_remove")
    changed = lists.change_memberships(
        ctx.state, params["listId"], body["recordIdsToAdd"], body["recordIdsToRemove"]
    )
    return Reply(200, changed)


def get_memberships(ctx: Context, req: SandboxRequest, params: dict[str, str]) -> Reply:
    page = lists.get_memberships(ctx.state, params["listId"], req.arg("limit"), req.arg("after"))
    return Reply(200, page)


HANDLERS: dict[str, Handler] = {
    "batch_upsert": batch_upsert,
    "batch_read": batch_read,
    "get_contact": get_contact,
    "create_property": create_property,
    "list_properties": list_properties,
    "get_property": get_property,
    "create_list": create_list,
    "list_by_name": list_by_name,
    "get_list": get_list,
    "add_members": add_members,
    "remove_members": remove_members,
    "add_and_remove": add_and_remove,
    "get_memberships": get_memberships,
}
