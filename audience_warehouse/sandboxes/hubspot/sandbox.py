"""HubSpotSandbox: start and stop a sandbox server in a background thread, and reach its
state, call log and settings from Python.

    with HubSpotSandbox(port=0, token="test-token", rate_limit=(190, 10.0),
                        faults=FaultConfig(rate_503=0.1), seed=1) as sandbox:
        client = hubspot.Client.create(access_token="test-token", host=sandbox.base_url)
        ...
        sandbox.state(); sandbox.calls(); sandbox.configure(faults=FaultConfig())
"""

from __future__ import annotations

import threading
from typing import Any

from .app import SandboxApp
from .faults import FaultConfig
from .ratelimit import RateLimitConfig
from .server import SandboxHTTPServer

RateLimit = RateLimitConfig | tuple[int, float]


def _rate_limit(value: RateLimit, daily_limit: int | None, current: RateLimitConfig):
    if isinstance(value, RateLimitConfig):
        config = value
    else:
        max_requests, seconds = value
        config = RateLimitConfig(max_requests, float(seconds), current.daily_limit)
    if daily_limit is not None:
        config = RateLimitConfig(config.max_requests, config.interval_seconds, daily_limit)
    return config


class HubSpotSandbox:
    """A local HubSpot CRM v3 stand-in. `port=0` picks a free port; see `base_url`."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "test-token",
        rate_limit: RateLimit = (190, 10.0),
        daily_limit: int | None = None,  # default 1,000,000 (or the RateLimitConfig's)
        faults: FaultConfig | None = None,
        seed: int = 0,
        verbose: bool = False,
    ) -> None:
        limits = _rate_limit(rate_limit, daily_limit, RateLimitConfig())
        self.app = SandboxApp(token=token, rate_limit=limits, faults=faults, seed=seed)
        self._address = (host, port)
        self._verbose = verbose
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle ----------------------------------------------------------------------------

    def start(self) -> HubSpotSandbox:
        if self._server is not None:
            return self
        server = SandboxHTTPServer(self._address, self.app, verbose=self._verbose)
        host, port = server.server_address[:2]
        self.app.base_url = f"http://{host}:{port}"
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.name = f"hubspot-sandbox-{port}"
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.close_open_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def serve_forever(self) -> None:
        """Run in the calling thread until interrupted (used by the command line)."""
        self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> HubSpotSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # where and how to call it -------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """e.g. http://127.0.0.1:54321, to pass as the SDK's `host`."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() or use `with`")
        return self.app.base_url

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    @property
    def token(self) -> str:
        return self.app.token

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.app.token}"}

    # test API -----------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Same as GET /__sandbox/state: contacts, lists (with memberIds) and properties."""
        return self.app.state.snapshot()

    def calls(self) -> dict[str, Any]:
        """Same as GET /__sandbox/calls: calls[], countsByEndpoint, countsByStatus, total."""
        return self.app.calls.snapshot()

    def config(self) -> dict[str, Any]:
        return self.app.config()

    def configure(
        self,
        *,
        token: str | None = None,
        rate_limit: RateLimit | None = None,
        daily_limit: int | None = None,
        faults: FaultConfig | None = None,
        seed: int | None = None,
    ) -> dict[str, Any]:
        """Change settings while running; returns the resulting settings."""
        limits = None
        if rate_limit is not None or daily_limit is not None:
            current = self.app.limiter.config
            window = rate_limit if rate_limit is not None else current
            limits = _rate_limit(window, daily_limit, current)
        return self.app.configure(token=token, rate_limit=limits, faults=faults, seed=seed)

    def reset(self) -> None:
        """Empty the portal, the call log and the rate buckets (settings are kept)."""
        self.app.reset()
