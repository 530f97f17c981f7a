"""OAuth 2.0 token endpoint (client credentials and JWT bearer) and bearer-token checks.

JWT bearer: the assertion must be a well-formed JWT (three base64url parts, JSON header
with `alg` RS256, claims `iss` = the client id, `sub`, `aud` one of login/test.salesforce.com
or the instance URL, `exp` in the future). Its signature is checked only when the sandbox
is given `jwt_public_key` (PEM); otherwise any signature is accepted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
import time
from typing import Any
from urllib.parse import parse_qs

from .config import Settings
from .errors import ApiError
from .ids import ORG_ID, USER_ID
from .schemas import schema_error
from .web import Request, Response

CLIENT_CREDENTIALS = "client_credentials"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
JWT_AUDIENCES = ("https://login.salesforce.com", "https://test.salesforce.com")
INVALID_SESSION_MESSAGE = "Session expired or invalid"


class OAuthError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description

    def response(self) -> Response:
        return Response.json(400, {"error": self.error, "error_description": self.description})


class TokenRegistry:
    """Access tokens issued by this sandbox and when they expire."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._expiry: dict[str, float] = {}

    def issue(self, ttl_seconds: float) -> str:
        token = f"{ORG_ID[:15]}!{secrets.token_urlsafe(48)}"
        with self._lock:
            self._expiry[token] = time.monotonic() + ttl_seconds
        return token

    def is_valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._expiry.get(token)
            if expiry is None:
                return False
            if expiry <= time.monotonic():
                del self._expiry[token]
                return False
            return True

    def revoke_all(self) -> None:
        with self._lock:
            self._expiry.clear()


def require_bearer(request: Request, tokens: TokenRegistry) -> None:
    """Raise 401 INVALID_SESSION_ID unless the request carries a live token."""
    header = request.header("Authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() not in ("bearer", "oauth") or not tokens.is_valid(token.strip()):
        raise ApiError(
            401,
            "INVALID_SESSION_ID",
            INVALID_SESSION_MESSAGE,
            headers={"WWW-Authenticate": "Token"},
        )


def _form(request: Request) -> dict[str, str]:
    if request.content_type() != "application/x-www-form-urlencoded":
        return {}
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return {key: values[0] for key, values in parse_qs(text).items()}


def _basic_credentials(request: Request) -> dict[str, str]:
    header = request.header("Authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return {}
    try:
        client_id, _, client_secret = base64.b64decode(encoded).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return {}
    return {"client_id": client_id, "client_secret": client_secret}


def _b64url_json(part: str) -> dict[str, Any]:
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _check_jwt(assertion: str, settings: Settings) -> None:
    invalid = OAuthError("invalid_grant", "invalid assertion")
    parts = assertion.split(".")
    if len(parts) != 3 or not all(parts):
        raise invalid
    try:
        header, claims = _b64url_json(parts[0]), _b64url_json(parts[1])
    except (ValueError, binascii.Error):
        raise invalid from None
    if header.get("alg") != "RS256" or not claims.get("sub"):
        raise invalid
    if claims.get("iss") != settings.client_id:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    audiences = claims.get("aud")
    audiences = audiences if isinstance(audiences, list) else [audiences]
    allowed = {*JWT_AUDIENCES, settings.instance_url}
    if not any(isinstance(aud, str) and aud.rstrip("/") in allowed for aud in audiences):
        raise OAuthError("invalid_grant", "audience is invalid")
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp <= time.time():
        raise OAuthError("invalid_grant", "expired assertion")
    if settings.jwt_public_key:
        import jwt  # PyJWT, installed with simple-salesforce; only needed to check signatures

        try:
            jwt.decode(
                assertion,
                settings.jwt_public_key,
                algorithms=["RS256"],
                options={"verify_aud": False, "verify_exp": False},
            )
        except jwt.PyJWTError:
            raise invalid from None


def _authenticate(form: dict[str, str], settings: Settings) -> None:
    grant_type = form.get("grant_type")
    if grant_type not in (CLIENT_CREDENTIALS, JWT_BEARER):
        raise OAuthError("unsupported_grant_type", "grant type not supported")
    problem = schema_error("oauth_token_request", form)
    if grant_type == CLIENT_CREDENTIALS:
        if problem is not None and not form.get("client_id"):
            raise OAuthError("invalid_client_id", "client identifier invalid")
        if form.get("client_id") != settings.client_id:
            raise OAuthError("invalid_client_id", "client identifier invalid")
        if not hmac.compare_digest(form.get("client_secret", ""), settings.client_secret):
            raise OAuthError("invalid_client", "invalid client credentials")
    else:
        if problem is not None:
            raise OAuthError("invalid_grant", "invalid assertion")
        _check_jwt(form["assertion"], settings)


def token_endpoint(request: Request, settings: Settings, tokens: TokenRegistry) -> Response:
    """POST /services/oauth2/token."""
    form = {**_basic_credentials(request), **_form(request)}
    try:
        _authenticate(form, settings)
    except OAuthError as exc:
        return exc.response()
    issued_at = str(int(time.time() * 1000))
    identity = f"{settings.instance_url}/id/{ORG_ID}/{USER_ID}"
    signature = hmac.new(
        settings.client_secret.encode("utf-8"),
        (identity + issued_at).encode("utf-8"),
        hashlib.sha256,
    ).digest()
    return Response.json(
        200,
        {
            "access_token": tokens.issue(settings.token_ttl_seconds),
            "instance_url": settings.instance_url,
            "id": identity,
            "token_type": "Bearer",
            "issued_at": issued_at,
            "signature": base64.b64encode(signature).decode("ascii"),
            "scope": "api",
        },
    )
