"""Transport-neutral request and response values passed between the server and the routes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import json_parser_error


@dataclass
class Request:
    """One HTTP request as the routes see it (header names are matched case-insensitively)."""

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body parsed as JSON; a parse failure is Salesforce's JSON_PARSER_ERROR."""
        try:
            text = self.body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise json_parser_error(f"Invalid UTF-8 in request body: {exc}") from exc
        if not text.strip():
            raise json_parser_error("No content to map due to end-of-input")
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise json_parser_error(
                f"{exc.msg} at [line:{exc.lineno}, column:{exc.colno}]"
            ) from exc


@dataclass
class Response:
    """One HTTP response; `close` asks the server to close the connection after it."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    close: bool = False

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        data = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        return cls(
            status, data, {"Content-Type": "application/json;charset=UTF-8", **(headers or {})}
        )

    @classmethod
    def csv(cls, status: int, text: str) -> Response:
        return cls(status, text.encode("utf-8"), {"Content-Type": "text/csv"})

    @classmethod
    def empty(cls, status: int) -> Response:
        return cls(status)


class Drop:
    """Returned instead of a Response: close the connection without answering."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
