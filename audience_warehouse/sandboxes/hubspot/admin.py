"""The test API under /__sandbox/ (not part of HubSpot): inspect state and calls, configure
faults and limits, reset. No auth, no rate limit, no faults, and not written to the call log.

    GET  /__sandbox/state   contacts with properties, lists with member ids, property definitions
    GET  /__sandbox/calls   the request log and counts by endpoint and status
    GET  /__sandbox/config  current settings
    POST /__sandbox/config  {token?, rateLimit?: {maxRequests, intervalSeconds}, dailyLimit?,
                             faults?: {rate_500: 0.1, ...} (merged into current), seed?}
    POST /__sandbox/reset   empty portal, call log and rate buckets
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import HubSpotError, error_body, new_correlation_id
from .messages import SandboxRequest, SandboxResponse, json_response
from .ratelimit import RateLimitConfig
from .validation import parse_body

if TYPE_CHECKING:
    from .app import SandboxApp


def apply_config(app: SandboxApp, body: dict[str, Any]) -> dict[str, Any]:
    """Apply a POST /__sandbox/config body (already schema-checked)."""
    limits = app.limiter.config
    rate_limit = None
    if "rateLimit" in body or "dailyLimit" in body:
        window = body.get("rateLimit", {})
        rate_limit = RateLimitConfig(
            max_requests=window.get("maxRequests", limits.max_requests),
            interval_seconds=window.get("intervalSeconds", limits.interval_seconds),
            daily_limit=body.get("dailyLimit", limits.daily_limit),
        )
    faults = app.injector.config.merged(body["faults"]) if "faults" in body else None
    return app.configure(
        token=body.get("token"), rate_limit=rate_limit, faults=faults, seed=body.get("seed")
    )


def handle(app: SandboxApp, request: SandboxRequest) -> SandboxResponse:
    key = (request.method, request.path.rstrip("/"))
    try:
        if key == ("GET", "/__sandbox/state"):
            return json_response(200, app.state.snapshot())
        if key == ("GET", "/__sandbox/calls"):
            return json_response(200, app.calls.snapshot())
        if key == ("GET", "/__sandbox/config"):
            return json_response(200, app.config())
        if key == ("POST", "/__sandbox/config"):
            return json_response(200, apply_config(app, parse_body(request.body, "sandbox_config")))
        if key == ("POST", "/__sandbox/reset"):
            app.reset()
            return json_response(200, {"status": "reset"})
    except HubSpotError as error:
        return json_response(error.status, error.body(new_correlation_id()))
    except ValueError as error:  # settings the dataclasses refuse
        body = error_body(str(error), "VALIDATION_ERROR", new_correlation_id())
        return json_response(400, body)
    message = f"Unknown sandbox path {request.method} {request.path}"
    return json_response(404, error_body(message, "OBJECT_NOT_FOUND", new_correlation_id()))
