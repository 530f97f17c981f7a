"""`SalesforceSandbox`: start, use and stop a local Salesforce REST API over HTTPS.

with SalesforceSandbox(port=0, faults=FaultConfig(error_503_rate=0.1), seed=1) as sandbox:
    session = sandbox.session()          # trusts the sandbox CA, ignores the environment
    token = sandbox.issue_token()        # client-credentials flow over HTTP
    sf = Salesforce(instance_url=sandbox.instance_url, session_id=token, session=session)
    sandbox.state()["Contact"]           # what the org now holds
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from . import admin
from .config import (
    DEFAULT_API_VERSION,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    MAX_UPLOAD_BYTES,
    Settings,
)
from .context import Context
from .errors import ApiError
from .faults import FaultConfig, FaultInjector
from .limits import DEFAULT_DAILY_LIMIT, ApiUsage
from .objects import FieldSpec, build_objects
from .routes import App
from .server import SandboxHTTPServer
from .state import RecordStore
from .tls import TestCertificateAuthority

LOCAL_HOSTS = ("127.0.0.1", "localhost")


class SalesforceSandbox:
    """A threaded HTTPS server on 127.0.0.1 that behaves like a Salesforce org's REST API."""

    api_version = DEFAULT_API_VERSION

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        faults: FaultConfig | None = None,
        seed: int = 0,
        daily_api_limit: int = DEFAULT_DAILY_LIMIT,
        custom_fields: Mapping[str, str | FieldSpec] | None = None,
        token_ttl_seconds: float = 7200.0,
        jwt_public_key: str | None = None,
        bulk_in_progress_polls: int = 1,
        max_upload_bytes: int = MAX_UPLOAD_BYTES,
        ca_dir: str | Path | None = None,
    ) -> None:
        if host not in LOCAL_HOSTS:
            raise ValueError(
                f"the sandbox only listens on this machine: host must be one of {LOCAL_HOSTS}"
            )
        self.host = host
        self._requested_port = port
        self._ca_dir = ca_dir
        objects = build_objects(custom_fields)
        self.ctx = Context(
            settings=Settings(
                client_id=client_id,
                client_secret=client_secret,
                token_ttl_seconds=token_ttl_seconds,
                jwt_public_key=jwt_public_key,
                bulk_in_progress_polls=bulk_in_progress_polls,
                max_upload_bytes=max_upload_bytes,
            ),
            objects=objects,
            store=RecordStore(objects),
            usage=ApiUsage(daily_api_limit),
            faults=FaultInjector(faults, seed),
        )
        self._ca: TestCertificateAuthority | None = None
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------

    def start(self) -> SalesforceSandbox:
        if self._server is not None:
            return self
        self._ca = TestCertificateAuthority(self._ca_dir)
        address = ("127.0.0.1" if self.host == "localhost" else self.host, self._requested_port)
        self._server = SandboxHTTPServer(address, App(self.ctx), self._ca.server_context())
        self.ctx.stopping.clear()
        self.ctx.settings.instance_url = f"https://{self.host}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="salesforce-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self.ctx.stopping.set()  # wake slow-fault sleepers
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._ca is not None:
            self._ca.close()
        self._server = self._thread = self._ca = None

    def __enter__(self) -> SalesforceSandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # addresses and clients -------------------------------------------------------------

    def _running(self) -> SandboxHTTPServer:
        if self._server is None:
            raise RuntimeError("the sandbox is not running: use start() or a with block")
        return self._server

    @property
    def port(self) -> int:
        return int(self._running().server_address[1])

    @property
    def instance_url(self) -> str:
        """https://127.0.0.1:PORT, as an OAuth response's instance_url."""
        self._running()
        return self.ctx.settings.instance_url

    @property
    def token_url(self) -> str:
        return f"{self.instance_url}/services/oauth2/token"

    @property
    def ca_path(self) -> str:
        """PEM file of the CA that signed the server certificate."""
        self._running()
        assert self._ca is not None
        return str(self._ca.ca_path)

    @property
    def client_id(self) -> str:
        return self.ctx.settings.client_id

    @property
    def client_secret(self) -> str:
        return self.ctx.settings.client_secret

    def url(self, path: str) -> str:
        return self.instance_url + (path if path.startswith("/") else "/" + path)

    def data_url(self, path: str = "") -> str:
        """URL under /services/data/vXX.X/ for the sandbox's default API version."""
        return self.url(f"/services/data/v{self.api_version}/{path.lstrip('/')}")

    def session(self) -> requests.Session:
        """A requests Session that trusts the sandbox CA and ignores proxy/CA variables."""
        session = requests.Session()
        session.trust_env = False
        session.verify = self.ca_path
        return session

    def issue_token(self, session: requests.Session | None = None) -> str:
        """An access token from the client-credentials flow, over HTTP like a real client."""
        client = session or self.session()
        response = client.post(
            self.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
            timeout=10,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    # test/admin API (same as /__sandbox/) ----------------------------------------------

    def state(self) -> dict[str, list[dict[str, Any]]]:
        """Records per sObject type, in creation order."""
        return admin.state(self.ctx)

    def records(self, sobject: str = "Contact") -> list[dict[str, Any]]:
        return self.ctx.store.records(sobject)

    def calls(self) -> dict[str, Any]:
        """The request log: calls, counts by endpoint, writes, writes applied, faults."""
        return self.ctx.calls.summary()

    def config(self) -> dict[str, Any]:
        return admin.config(self.ctx)

    def configure(
        self, *, faults: FaultConfig | Mapping[str, Any] | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change settings at runtime. `faults` as a FaultConfig replaces the fault settings;
        as a mapping it changes only the named ones. Other keywords: seed, daily_api_limit,
        api_usage, client_id, client_secret, token_ttl_seconds, jwt_public_key,
        bulk_in_progress_polls, max_upload_bytes, revoke_tokens, reset_faults."""
        payload = dict(changes)
        if isinstance(faults, FaultConfig):
            payload["faults"] = faults.as_dict()
        elif faults is not None:
            payload["faults"] = {
                k: list(v) if isinstance(v, tuple) else v for k, v in faults.items()
            }
        try:
            return admin.configure(self.ctx, payload)
        except ApiError as exc:
            raise ValueError(exc.message) from None

    def reset(self) -> None:
        """Forget records, jobs, calls and API usage; restart the fault streams."""
        admin.reset(self.ctx)
