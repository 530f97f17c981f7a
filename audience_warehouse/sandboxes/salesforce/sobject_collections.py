"""sObject Collections upsert: PATCH /services/data/vXX.X/composite/sobjects/{SObject}/{Field}."""

from __future__ import annotations

from typing import Any

from .context import Context
from .errors import ApiError, not_found
from .objects import FieldSpec, SObjectSpec
from .schemas import validate_request
from .upsert import Upserter
from .web import Request, Response

MAX_RECORDS = 200
TOO_MANY_RECORDS = "record limit reached. cannot submit more than 200 records into this call"


def resolve_external_id(
    ctx: Context, sobject: str, field_name: str
) -> tuple[SObjectSpec, FieldSpec]:
    """The sObject and its external id field named in a URI, or Salesforce's error."""
    spec = ctx.sobject(sobject)
    if spec is None:
        raise not_found()
    external_id = spec.field(field_name)
    if external_id is None:
        raise not_found(
            f"Provided external ID field does not exist or is not accessible: {field_name}"
        )
    if not external_id.external_id:
        raise ApiError(
            400,
            "INVALID_FIELD",
            f"Field name provided, {external_id.name} is not an External ID or indexed field "
            f"for {spec.name}",
        )
    return spec, external_id


def upsert_collection(
    ctx: Context, request: Request, sobject: str, field_name: str
) -> tuple[Response, bool, int]:
    """Handle the call; returns the response, whether records changed, and the record count."""
    spec, external_id = resolve_external_id(ctx, sobject, field_name)
    body: Any = request.json()
    records = body.get("records") if isinstance(body, dict) else None
    if isinstance(records, list) and len(records) > MAX_RECORDS:
        raise ApiError(400, "EXCEEDED_ID_LIMIT", TOO_MANY_RECORDS)
    validate_request("collections_upsert_request", body)
    wrong = {
        r["attributes"]["type"]
        for r in records
        if r["attributes"]["type"].lower() != spec.name.lower()
    }
    if wrong:
        raise ApiError(
            400,
            "INVALID_TYPE",
            f"The list can only contain objects of type {spec.name}, "
            f"not {', '.join(sorted(wrong))}",
        )
    with ctx.store.transaction() as txn:
        outcomes = Upserter(spec, external_id, txn, ctx.ids, ctx.faults.record_failure).run(
            records, all_or_none=bool(body.get("allOrNone", False))
        )
        changed = txn.changed
    return Response.json(200, [outcome.as_json() for outcome in outcomes]), changed, len(records)
