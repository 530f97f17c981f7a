"""HubSpot-style error bodies, and the exception handlers raise to send one.

HubSpot answers errors with `{"status": "error", "message", "correlationId", "category", ...}`;
rate-limit refusals use `errorType` and `policyName` instead of `category`.
"""

from __future__ import annotations

import uuid
from typing import Any


def new_correlation_id() -> str:
    return str(uuid.uuid4())


class HubSpotError(Exception):
    """Raised by a handler to answer with an error status and a HubSpot error body."""

    def __init__(
        self,
        status: int,
        message: str,
        category: str = "VALIDATION_ERROR",
        *,
        sub_category: str | None = None,
        context: dict[str, list[str]] | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.category = category
        self.sub_category = sub_category
        self.context = context
        self.errors = errors
        self.headers = headers or {}

    def body(self, correlation_id: str) -> dict[str, Any]:
        body = error_body(self.message, self.category, correlation_id)
        if self.sub_category is not None:
            body["subCategory"] = self.sub_category
        if self.context is not None:
            body["context"] = self.context
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def error_body(message: str, category: str, correlation_id: str) -> dict[str, Any]:
    return {
        "status": "error",
        "message": message,
        "correlationId": correlation_id,
        "category": category,
    }


RATE_LIMIT_MESSAGES = {
    "TEN_SECONDLY_ROLLING": "You have reached your ten_secondly_rolling limit.",
    "DAILY": "You have reached your daily limit.",
}


def rate_limit_body(policy: str, correlation_id: str) -> dict[str, Any]:
    return {
        "status": "error",
        "message": RATE_LIMIT_MESSAGES[policy],
        "errorType": "RATE_LIMIT",
        "correlationId": correlation_id,
        "policyName": policy,
    }


AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)


def not_found(message: str, **context: list[str]) -> HubSpotError:
    return HubSpotError(404, message, "OBJECT_NOT_FOUND", context=context or None)
