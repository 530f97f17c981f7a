"""Salesforce-shaped errors: request-level `ApiError` and per-record `RecordError`.

Request-level errors are answered as a JSON array `[{"message", "errorCode", "fields"?}]`
with their HTTP status; per-record errors appear inside a 200 collections response
(`{"statusCode", "message", "fields"}`) or in a Bulk API 2.0 `sf__Error` column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NOT_FOUND_MESSAGE = "The requested resource does not exist"


class ApiError(Exception):
    """An error that ends the request with `status` and a Salesforce error array."""

    def __init__(
        self,
        status: int,
        error_code: str,
        message: str,
        fields: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message
        self.fields = fields
        self.headers = headers or {}

    def body(self) -> list[dict[str, object]]:
        item: dict[str, object] = {"message": self.message, "errorCode": self.error_code}
        if self.fields is not None:
            item["fields"] = self.fields
        return [item]


def not_found(message: str = NOT_FOUND_MESSAGE) -> ApiError:
    return ApiError(404, "NOT_FOUND", message)


def json_parser_error(message: str) -> ApiError:
    return ApiError(400, "JSON_PARSER_ERROR", message)


@dataclass(frozen=True)
class RecordError:
    """One error about one record (Salesforce's `Error` type)."""

    status_code: str
    message: str
    fields: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"statusCode": self.status_code, "message": self.message, "fields": self.fields}

    def as_bulk(self) -> str:
        """The `sf__Error` cell of a Bulk API failed-results row."""
        return f"{self.status_code}:{self.message}:{','.join(self.fields)} --"
