"""The route table: which HubSpot paths the sandbox answers, and which of them write.

A route's `endpoint` ("METHOD /template") names it in the call log. Paths are matched with
and without a trailing slash, since the SDK posts new lists to "/crm/v3/lists/".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: str  # name of the function in handlers.py
    write: bool

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template.rstrip("/"))
        return re.compile(f"^{regex}/?$")


ROUTES = (
    Route("POST", "/crm/v3/objects/contacts/batch/upsert", "batch_upsert", True),
    Route("POST", "/crm/v3/objects/contacts/batch/read", "batch_read", False),
    Route("GET", "/crm/v3/objects/contacts/{contactId}", "get_contact", False),
    Route("POST", "/crm/v3/properties/contacts", "create_property", True),
    Route("GET", "/crm/v3/properties/contacts", "list_properties", False),
    Route("GET", "/crm/v3/properties/contacts/{propertyName}", "get_property", False),
    Route("POST", "/crm/v3/lists", "create_list", True),
    Route(
        "GET", "/crm/v3/lists/object-type-id/{objectTypeId}/name/{listName}", "list_by_name", False
    ),
    Route("GET", "/crm/v3/lists/{listId}", "get_list", False),
    Route("PUT", "/crm/v3/lists/{listId}/memberships/add", "add_members", True),
    Route("PUT", "/crm/v3/lists/{listId}/memberships/remove", "remove_members", True),
    Route("PUT", "/crm/v3/lists/{listId}/memberships/add-and-remove", "add_and_remove", True),
    Route("GET", "/crm/v3/lists/{listId}/memberships", "get_memberships", False),
)
_COMPILED = tuple((route, route.pattern) for route in ROUTES)


@dataclass(frozen=True)
class Match:
    route: Route | None  # None: the path exists but not for this method
    params: dict[str, str]


def match(method: str, path: str) -> Match | None:
    """The route for `method path` (path still percent-encoded; parameters come back decoded).

    Match(None, {}) when the path exists for another method; None when it is unknown.
    """
    path_known = False
    for route, pattern in _COMPILED:
        found = pattern.match(path)
        if found is None:
            continue
        if route.method == method:
            return Match(route, {k: unquote(v) for k, v in found.groupdict().items()})
        path_known = True
    return Match(None, {}) if path_known else None
