"""Runtime settings of a sandbox that are not faults or limits (those have their own modules)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CLIENT_ID = "aw-sandbox-client-id"
DEFAULT_CLIENT_SECRET = "aw-sandbox-client-secret"
DEFAULT_API_VERSION = "59.0"
MAX_UPLOAD_BYTES = 150 * 1024 * 1024


@dataclass
class Settings:
    """Mutable at runtime through `SalesforceSandbox.configure` or POST /__sandbox/config."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    token_ttl_seconds: float = 7200.0
    jwt_public_key: str | None = None
    bulk_in_progress_polls: int = 1
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    instance_url: str = ""
