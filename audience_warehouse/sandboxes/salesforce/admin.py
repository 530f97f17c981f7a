"""The sandbox's own test/admin API under /__sandbox/ (not part of Salesforce).

GET state (records per object), GET calls (request log), GET/POST config, POST reset.
The same functions back `SalesforceSandbox.state()`, `.calls()`, `.configure()`, `.reset()`.
"""

from __future__ import annotations

from typing import Any

from .context import Context
from .errors import ApiError
from .faults import FaultConfig
from .schemas import validate_request
from .web import Request, Response


def state(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    return ctx.store.snapshot()


def config(ctx: Context) -> dict[str, Any]:
    settings = ctx.settings
    return {
        "faults": ctx.faults.config.as_dict(),
        "seed": ctx.faults.seed,
        "daily_api_limit": ctx.usage.limit,
        "api_usage": ctx.usage.used,
        "client_id": settings.client_id,
        "token_ttl_seconds": settings.token_ttl_seconds,
        "jwt_signature_checked": bool(settings.jwt_public_key),
        "bulk_in_progress_polls": settings.bulk_in_progress_polls,
        "max_upload_bytes": settings.max_upload_bytes,
        "instance_url": settings.instance_url,
        "objects": {name: [f.name for f in spec.fields] for name, spec in ctx.objects.items()},
    }


def configure(ctx: Context, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply settings changes (the shape of schemas/sandbox_config_request.json)."""
    validate_request("sandbox_config_request", changes)
    base = FaultConfig() if changes.get("reset_faults") else ctx.faults.config
    try:
        faults = base.merged(changes.get("faults", {}))
    except (TypeError, ValueError) as exc:
        raise ApiError(400, "JSON_PARSER_ERROR", str(exc)) from None
    ctx.faults.configure(faults)
    if "seed" in changes:
        ctx.faults.reseed(changes["seed"])
    ctx.usage.set(used=changes.get("api_usage"), limit=changes.get("daily_api_limit"))
    for name in (
        "client_id",
        "client_secret",
        "token_ttl_seconds",
        "jwt_public_key",
        "bulk_in_progress_polls",
        "max_upload_bytes",
    ):
        if name in changes:
            setattr(ctx.settings, name, changes[name])
    if changes.get("revoke_tokens"):
        ctx.tokens.revoke_all()
    return config(ctx)


def reset(ctx: Context) -> None:
    """Forget records, jobs, calls and usage and restart the fault streams; tokens stay valid."""
    ctx.store.clear()
    ctx.jobs.clear()
    ctx.calls.clear()
    ctx.usage.reset()
    ctx.faults.reseed()


def handle(ctx: Context, request: Request, action: str) -> Response:
    if action == "state" and request.method == "GET":
        return Response.json(200, state(ctx))
    if action == "calls" and request.method == "GET":
        return Response.json(200, ctx.calls.summary())
    if action == "config" and request.method == "GET":
        return Response.json(200, config(ctx))
    if action == "config" and request.method == "POST":
        return Response.json(200, configure(ctx, request.json()))
    if action == "reset" and request.method == "POST":
        reset(ctx)
        return Response.json(200, {"reset": True})
    raise ApiError(405, "METHOD_NOT_ALLOWED", f"HTTP Method '{request.method}' not allowed")
