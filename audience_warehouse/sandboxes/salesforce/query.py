"""Read endpoints: a record by id or external id, describe, limits, and a small SOQL subset.

The SOQL subset is `SELECT f1, f2 FROM Contact [WHERE f = 'v' | f IN ('a', 'b')]
[ORDER BY f [ASC|DESC]] [LIMIT n]`; text comparisons are case-insensitive, as in SOQL.
All matching records come back in one page (`done: true`).
"""

from __future__ import annotations

import re
from typing import Any

from .context import Context
from .errors import ApiError, not_found
from .objects import SObjectSpec, match_key
from .sobject_collections import resolve_external_id
from .web import Response

_QUERY_RE = re.compile(
    r"^\s*SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<object>\w+)"
    r"(?:\s+WHERE\s+(?P<where>.+?))?"
    r"(?:\s+ORDER\s+BY\s+(?P<order>\w+)(?:\s+(?P<direction>ASC|DESC))?)?"
    r"(?:\s+LIMIT\s+(?P<limit>\d+))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_CONDITION_RE = re.compile(
    r"^(?P<field>\w+)\s*(?:(?P<eq>=)\s*(?P<value>'(?:[^'\\]|\\.)*'|null)"
    r"|\s+IN\s*\((?P<values>.*)\))$",
    re.IGNORECASE | re.DOTALL,
)
_STRING_RE = re.compile(r"\s*'((?:[^'\\]|\\.)*)'\s*(?:,|$)")


def _with_attributes(
    spec: SObjectSpec, version: str, record: dict[str, Any], fields: list[str] | None = None
) -> dict[str, Any]:
    names = fields if fields is not None else [f.name for f in spec.fields]
    return {
        "attributes": {
            "type": spec.name,
            "url": f"/services/data/v{version}/sobjects/{spec.name}/{record['Id']}",
        },
        **{name: record.get(name) for name in names},
    }


def _field_list(spec: SObjectSpec, raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    names = []
    for name in (part.strip() for part in raw.split(",")):
        field = spec.field(name)
        if field is None:
            raise ApiError(400, "INVALID_FIELD", f"No such column '{name}' on entity '{spec.name}'")
        names.append(field.name)
    return names


def get_by_external_id(
    ctx: Context, version: str, sobject: str, field_name: str, value: str, fields: str | None
) -> Response:
    spec, external_id = resolve_external_id(ctx, sobject, field_name)
    record = ctx.store.find(spec.name, external_id.name, value)
    if record is None:
        raise not_found()
    return Response.json(200, _with_attributes(spec, version, record, _field_list(spec, fields)))


def get_by_id(
    ctx: Context, version: str, sobject: str, record_id: str, fields: str | None
) -> Response:
    spec = ctx.sobject(sobject)
    if spec is None:
        raise not_found()
    record = ctx.store.get(spec.name, record_id)
    if record is None:
        raise not_found()
    return Response.json(200, _with_attributes(spec, version, record, _field_list(spec, fields)))


def describe(ctx: Context, sobject: str) -> Response:
    spec = ctx.sobject(sobject)
    if spec is None:
        raise not_found()
    return Response.json(200, spec.describe())


def limits(ctx: Context) -> Response:
    return Response.json(
        200,
        {"DailyApiRequests": {"Max": ctx.usage.limit, "Remaining": ctx.usage.remaining()}},
    )


def _malformed(message: str) -> ApiError:
    return ApiError(400, "MALFORMED_QUERY", message)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _condition(spec: SObjectSpec, where: str) -> tuple[str, list[Any]]:
    match = _CONDITION_RE.match(where.strip())
    if match is None:
        raise _malformed(f"unexpected token in WHERE clause: {where.strip()[:60]}")
    field = spec.field(match["field"])
    if field is None:
        raise ApiError(
            400, "INVALID_FIELD", f"No such column '{match['field']}' on entity '{spec.name}'"
        )
    if match["eq"]:
        raw = match["value"]
        return field.name, [None if raw.lower() == "null" else _unescape(raw[1:-1])]
    values_text = match["values"]
    values = [_unescape(found) for found in _STRING_RE.findall(values_text)]
    if not values or len(_STRING_RE.sub("", values_text).strip()) > 0:
        raise _malformed(f"unexpected token in IN list: {values_text.strip()[:60]}")
    return field.name, values


def run_query(ctx: Context, version: str, soql: str | None) -> Response:
    if not soql:
        raise _malformed("A query string is required: ?q=SELECT ...")
    match = _QUERY_RE.match(soql)
    if match is None:
        raise _malformed(f"unexpected token: {soql.strip()[:60]}")
    spec = ctx.sobject(match["object"])
    if spec is None:
        raise ApiError(400, "INVALID_TYPE", f"sObject type '{match['object']}' is not supported.")
    fields = _field_list(spec, match["fields"])
    records = ctx.store.records(spec.name)
    if match["where"]:
        name, wanted = _condition(spec, match["where"])
        keys = {match_key(value) for value in wanted}
        records = [r for r in records if match_key(r.get(name)) in keys]
    if match["order"]:
        order = spec.field(match["order"])
        if order is None:
            raise ApiError(
                400, "INVALID_FIELD", f"No such column '{match['order']}' on entity '{spec.name}'"
            )

        def sort_key(record: dict[str, Any]) -> tuple[bool, Any]:
            value = record.get(order.name)
            return (value is None, 0 if value is None else match_key(value))

        records.sort(
            key=sort_key,
            reverse=(match["direction"] or "").upper() == "DESC",
        )
    if match["limit"]:
        records = records[: int(match["limit"])]
    return Response.json(
        200,
        {
            "totalSize": len(records),
            "done": True,
            "records": [_with_attributes(spec, version, r, fields) for r in records],
        },
    )
