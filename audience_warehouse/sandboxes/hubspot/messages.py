"""The messages between the HTTP server and the pipeline: the parsed request going in, and
the status, headers and body bytes coming out (or an order to drop the connection)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON_TYPE = "application/json;charset=utf-8"


@dataclass(frozen=True)
class SandboxRequest:
    method: str
    path: str  # percent-encoded, without the query string
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def args(self, name: str) -> list[str]:
        """A multi-valued parameter, given repeated (?a=x&a=y) or comma-separated (?a=x,y)."""
        return [part for value in self.query.get(name, []) for part in value.split(",") if part]

    def flag(self, name: str) -> bool:
        return (self.arg(name) or "").lower() == "true"


@dataclass
class SandboxResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering


def json_response(
    status: int, payload: Any, headers: dict[str, str] | None = None
) -> SandboxResponse:
    body = json.dumps(payload).encode("utf-8")
    return SandboxResponse(status, body, {"Content-Type": JSON_TYPE, **(headers or {})})
