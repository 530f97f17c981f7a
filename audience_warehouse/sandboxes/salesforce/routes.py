"""URL routing and the per-request pipeline shared by every Salesforce endpoint.

API requests (under /services/data/vXX.X/) go through: injected faults (drop, 503, 500,
limit burst) -> bearer token (401) -> daily API limit (403) -> the handler, which applies
its writes in one transaction -> drop-after-apply / slow answer. Every response carries
`Sforce-Limit-Info`; every Salesforce request (not /__sandbox/) is logged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from . import admin, bulk, query
from .auth import require_bearer, token_endpoint
from .context import Context
from .errors import ApiError, not_found
from .limits import LIMIT_EXCEEDED_MESSAGE
from .sobject_collections import upsert_collection
from .web import Drop, Request, Response

API_PREFIX = re.compile(r"^/services/data/v(?P<version>\d{2,3}\.\d)(?P<rest>/.*)?$")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
Result = Response | tuple[Response, bool, int | None]
Handler = Callable[[Context, Request, dict[str, str]], Result]
UNAVAILABLE_MESSAGE = "Service temporarily unavailable, please retry"
UNKNOWN_EXCEPTION_MESSAGE = (
    "An unexpected error occurred. Please include this ErrorId if you contact support: "
    "1874461093-42 (-1192939011)"
)


def _error(status: int, code: str, message: str) -> Response:
    return Response.json(status, ApiError(status, code, message).body())


@dataclass(frozen=True)
class Route:
    name: str
    pattern: re.Pattern[str]
    methods: frozenset[str]
    handler: Handler
    min_version: float = 20.0


def _route(
    name: str, pattern: str, methods: str, handler: Handler, min_version: float = 20.0
) -> Route:
    return Route(
        name,
        re.compile(f"^{pattern}/?$", re.IGNORECASE),
        frozenset(methods.split()),
        handler,
        min_version,
    )


def _collections(ctx: Context, req: Request, p: dict[str, str]) -> Result:
    return upsert_collection(ctx, req, p["sobject"], p["field"])


def _bulk_jobs(ctx: Context, req: Request, p: dict[str, str]) -> Result:
    if req.method == "POST":
        return bulk.create_job(ctx, req, p["version"])
    return bulk.list_jobs(ctx)


def _bulk_job(ctx: Context, req: Request, p: dict[str, str]) -> Result:
    if req.method == "PATCH":
        return bulk.set_state(ctx, req, p["job"])
    if req.method == "DELETE":
        return bulk.delete_job(ctx, p["job"])
    return bulk.get_job(ctx, p["job"])


API_ROUTES = (
    _route("limits", r"/limits", "GET", lambda ctx, req, p: query.limits(ctx)),
    _route(
        "query",
        r"/query",
        "GET",
        lambda ctx, req, p: query.run_query(ctx, p["version"], req.query_value("q")),
    ),
    _route(
        "describe",
        r"/sobjects/(?P<sobject>\w+)/describe",
        "GET",
        lambda ctx, req, p: query.describe(ctx, p["sobject"]),
    ),
    _route(
        "sobject_get_by_external_id",
        r"/sobjects/(?P<sobject>\w+)/(?P<field>\w+)/(?P<value>[^/]+)",
        "GET",
        lambda ctx, req, p: query.get_by_external_id(
            ctx, p["version"], p["sobject"], p["field"], p["value"], req.query_value("fields")
        ),
    ),
    _route(
        "sobject_get",
        r"/sobjects/(?P<sobject>\w+)/(?P<id>\w+)",
        "GET",
        lambda ctx, req, p: query.get_by_id(
            ctx, p["version"], p["sobject"], p["id"], req.query_value("fields")
        ),
    ),
    _route(
        "collections_upsert",
        r"/composite/sobjects/(?P<sobject>\w+)/(?P<field>\w+)",
        "PATCH",
        _collections,
        46.0,
    ),
    _route("bulk_jobs", r"/jobs/ingest", "GET POST", _bulk_jobs, 41.0),
    _route("bulk_job", r"/jobs/ingest/(?P<job>\w+)", "GET PATCH DELETE", _bulk_job, 41.0),
    _route(
        "bulk_upload",
        r"/jobs/ingest/(?P<job>\w+)/batches",
        "PUT",
        lambda ctx, req, p: bulk.upload(ctx, req, p["job"]),
        41.0,
    ),
    _route(
        "bulk_results",
        r"/jobs/ingest/(?P<job>\w+)/(?P<kind>successfulResults|failedResults|unprocessedrecords)",
        "GET",
        lambda ctx, req, p: bulk.results(ctx, p["job"], p["kind"]),
        41.0,
    ),
)


def _match(path: str, version: str) -> tuple[Route, dict[str, str]]:
    """The API route for `path` (after the version segment), or 404/405."""
    for route in API_ROUTES:
        found = route.pattern.match(path)
        if found and float(version) >= route.min_version:
            params = {k: unquote(v) for k, v in found.groupdict().items()}
            return route, {"version": version, **params}
    raise not_found()


class App:
    """Turns a Request into a Response (or a Drop) for one sandbox."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def handle(self, request: Request) -> Response | Drop:
        if request.path.startswith("/__sandbox/"):
            result: Response | Drop = self._safe(
                lambda: admin.handle(self.ctx, request, request.path[11:].strip("/"))
            )
        elif request.path.rstrip("/") == "/services/oauth2/token":
            result = self._oauth(request)
        else:
            result = self._api(request)
        if isinstance(result, Response):
            result.headers["Sforce-Limit-Info"] = self.ctx.usage.header()
        return result

    def reject(self, request: Request, status: int, code: str, message: str) -> Response:
        """An error answered by the server before the body is read (then the connection
        closes): 413 for a body over the upload limit, 400 for a malformed chunked body."""
        response = _error(status, code, message)
        response.headers["Sforce-Limit-Info"] = self.ctx.usage.header()
        response.close = True
        self._log(request, "rejected", response, applied=False, fault=None, records=None)
        return response

    @staticmethod
    def _safe(produce: Callable[[], Response]) -> Response:
        try:
            return produce()
        except ApiError as exc:
            return Response.json(exc.status, exc.body(), exc.headers)

    def _oauth(self, request: Request) -> Response:
        if request.method != "POST":
            response = _error(
                405,
                "METHOD_NOT_ALLOWED",
                f"HTTP Method '{request.method}' not allowed. Allowed are POST",
            )
        else:
            response = token_endpoint(request, self.ctx.settings, self.ctx.tokens)
        self._log(request, "oauth_token", response, applied=False, fault=None, records=None)
        return response

    def _api(self, request: Request) -> Response | Drop:
        ctx = self.ctx
        prefix = API_PREFIX.match(request.path)
        try:
            if prefix is None:
                raise not_found()
            route, params = _match(prefix["rest"] or "/", prefix["version"])
            if request.method not in route.methods:
                allowed = ",".join(sorted(route.methods))
                raise ApiError(
                    405,
                    "METHOD_NOT_ALLOWED",
                    f"HTTP Method '{request.method}' not allowed. Allowed are {allowed}",
                )
        except ApiError as exc:
            response = Response.json(exc.status, exc.body(), exc.headers)
            self._log(request, "unknown", response, applied=False, fault=None, records=None)
            return response

        plan = ctx.faults.plan_request()
        if plan.drop_before:
            self._log(request, route.name, None, applied=False, fault="drop_before", records=None)
            return Drop("drop_before")
        applied, records = False, None
        if plan.error_503:
            response = _error(503, "SERVER_UNAVAILABLE", UNAVAILABLE_MESSAGE)
        elif plan.error_500:
            response = _error(500, "UNKNOWN_EXCEPTION", UNKNOWN_EXCEPTION_MESSAGE)
        elif plan.limit_exceeded:
            response = _error(403, "REQUEST_LIMIT_EXCEEDED", LIMIT_EXCEEDED_MESSAGE)
        else:
            response, applied, records = self._run(route, request, params)
        if plan.drop_after:
            self._log(
                request, route.name, None, applied=applied, fault="drop_after", records=records
            )
            return Drop("drop_after")
        if plan.slow:
            ctx.stopping.wait(ctx.faults.config.slow_seconds)
        self._log(request, route.name, response, applied=applied, fault=plan.name, records=records)
        return response

    def _run(
        self, route: Route, request: Request, params: dict[str, str]
    ) -> tuple[Response, bool, int | None]:
        try:
            require_bearer(request, self.ctx.tokens)
            if not self.ctx.usage.try_consume():
                raise ApiError(403, "REQUEST_LIMIT_EXCEEDED", LIMIT_EXCEEDED_MESSAGE)
            result = route.handler(self.ctx, request, params)
        except ApiError as exc:
            return Response.json(exc.status, exc.body(), exc.headers), False, None
        except Exception as exc:  # a sandbox bug: answer like Salesforce, writes rolled back
            return _error(500, "UNKNOWN_EXCEPTION", f"Sandbox error: {exc!r}"), False, None
        if isinstance(result, Response):
            return result, False, None
        return result

    def _log(
        self,
        request: Request,
        endpoint: str,
        response: Response | None,
        *,
        applied: bool,
        fault: str | None,
        records: Any,
    ) -> None:
        self.ctx.calls.add(
            method=request.method,
            path=request.path,
            endpoint=endpoint,
            status=None if response is None else response.status,
            write=request.method in WRITE_METHODS,
            applied=applied,
            fault=fault,
            records=records,
        )
