"""The request pipeline: auth, rate limit, routing, fault injection, handling, logging.

`SandboxApp.handle` takes a parsed HTTP request and returns the bytes to answer with (or
asks the server to drop the connection). It knows nothing about sockets, so it can be
driven directly. Requests under /__sandbox/ go to the test API in admin.py instead.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from . import admin, routes
from .calllog import CallLog
from .errors import AUTH_MESSAGE, HubSpotError, error_body, new_correlation_id, rate_limit_body
from .faults import FaultConfig, FaultInjector, FaultPlan
from .handlers import HANDLERS, Context, Reply
from .messages import SandboxRequest, SandboxResponse, json_response
from .ratelimit import RateLimitConfig, RateLimiter
from .store import PortalState

BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class _Outcome:
    response: SandboxResponse
    endpoint: str | None = None
    write: bool = False
    applied: bool = False
    fault: str | None = None


class SandboxApp:
    def __init__(
        self,
        *,
        token: str = "test-token",
        rate_limit: RateLimitConfig | None = None,
        faults: FaultConfig | None = None,
        seed: int = 0,
    ) -> None:
        self.state = PortalState()
        self.limiter = RateLimiter(rate_limit)
        self.injector = FaultInjector(faults, seed)
        self.calls = CallLog()
        self.token = token
        self.base_url = ""  # set by the server once it is bound
        self._config_lock = threading.Lock()

    # configuration ------------------------------------------------------------------------

    def configure(
        self,
        *,
        token: str | None = None,
        rate_limit: RateLimitConfig | None = None,
        faults: FaultConfig | None = None,
        seed: int | None = None,
    ) -> dict[str, Any]:
        """Change settings at runtime. New rate limits start fresh buckets; new faults or a
        new seed restart the fault streams (so runs are reproducible from that point)."""
        with self._config_lock:
            if token is not None:
                self.token = token
            if rate_limit is not None:
                self.limiter.reset(rate_limit)
            if faults is not None or seed is not None:
                self.injector.configure(
                    faults or self.injector.config, self.injector.seed if seed is None else seed
                )
            return self.config()

    def config(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "rateLimit": self.limiter.config.to_dict(),
            "faults": self.injector.config.to_dict(),
            "seed": self.injector.seed,
        }

    def reset(self) -> None:
        """Empty the portal, the call log and the rate buckets; restart the fault streams."""
        self.state.reset()
        self.calls.reset()
        self.limiter.reset()
        self.injector.configure(self.injector.config, self.injector.seed)

    # requests -----------------------------------------------------------------------------

    def handle(self, request: SandboxRequest) -> SandboxResponse:
        if request.path == "/__sandbox" or request.path.startswith("/__sandbox/"):
            return admin.handle(self, request)
        started = time.perf_counter()
        correlation_id = new_correlation_id()
        outcome = self._hubspot(request, correlation_id)
        response = outcome.response
        response.headers.setdefault("X-HubSpot-Correlation-Id", correlation_id)
        self.calls.record(
            method=request.method,
            path=request.path,
            endpoint=outcome.endpoint,
            status=None if response.drop else response.status,
            write=outcome.write,
            applied=outcome.applied,
            fault=outcome.fault,
            duration_ms=(time.perf_counter() - started) * 1000,
        )
        return response

    def _bearer(self, request: SandboxRequest) -> str | None:
        scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()

    def _hubspot(self, request: SandboxRequest, cid: str) -> _Outcome:
        token = self._bearer(request)
        if token is None or token != self.token:
            body = error_body(AUTH_MESSAGE, "INVALID_AUTHENTICATION", cid)
            return _Outcome(json_response(401, body, self.limiter.peek(token)))
        decision = self.limiter.acquire(token)
        if not decision.allowed:
            assert decision.policy is not None
            headers = {**decision.headers, "Retry-After": str(decision.retry_after)}
            return _Outcome(json_response(429, rate_limit_body(decision.policy, cid), headers))
        found = routes.match(request.method, request.path)
        if found is None or found.route is None:
            status, verb = (
                (404, "Unknown path") if found is None else (405, "Method not allowed for")
            )
            body = error_body(f"{verb} {request.method} {request.path}", "OBJECT_NOT_FOUND", cid)
            if status == 405:
                body["category"] = "VALIDATION_ERROR"
            return _Outcome(json_response(status, body, decision.headers))
        route = found.route
        plan = self.injector.plan(request.path, is_batch_upsert=route.handler == "batch_upsert")
        outcome = self._run(route, found.params, plan, request, token, decision.headers, cid)
        outcome.endpoint, outcome.write = route.endpoint, route.write
        outcome.fault = plan.label()
        return outcome

    def _run(
        self,
        route: routes.Route,
        params: dict[str, str],
        plan: FaultPlan,
        request: SandboxRequest,
        token: str,
        headers: dict[str, str],
        cid: str,
    ) -> _Outcome:
        if plan.slow_seconds:
            time.sleep(plan.slow_seconds)
        if plan.throttle is not None:
            retry = {"Retry-After": str(self.injector.config.retry_after_seconds)}
            throttled = {**self.limiter.exhausted_headers(token), **retry}
            body = rate_limit_body("TEN_SECONDLY_ROLLING", cid)
            return _Outcome(json_response(429, body, throttled))
        if plan.drop_before:
            return _Outcome(SandboxResponse(0, b"", drop=True))
        if plan.error_status is not None:
            return _Outcome(_server_error(plan.error_status, headers, cid))
        context = Context(self.state, self.injector, plan, self.base_url)
        try:
            reply = HANDLERS[route.handler](context, request, params)
        except HubSpotError as error:
            reply = Reply(error.status, error.body(cid), error.headers)
        applied = route.write and reply.status in (200, 201, 207)
        if reply.status == 207 and route.write:
            applied = bool(reply.payload.get("results"))
        response = json_response(reply.status, reply.payload, {**headers, **reply.headers})
        response.drop = plan.drop_after
        return _Outcome(response, applied=applied)


def _server_error(status: int, headers: dict[str, str], cid: str) -> SandboxResponse:
    if status == 502:
        page = BAD_GATEWAY_PAGE.encode()
        return SandboxResponse(502, page, {"Content-Type": "text/html", **headers})
    message, category = {
        500: ("internal error", "INTERNAL_ERROR"),
        503: ("Service Unavailable. Please try again later.", "SERVICE_UNAVAILABLE"),
    }[status]
    return json_response(status, error_body(message, category, cid), headers)
