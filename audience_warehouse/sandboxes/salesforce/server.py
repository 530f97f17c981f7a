"""The HTTPS server: a threaded stdlib HTTP/1.1 server whose connections are wrapped in TLS
in their own thread, so a slow or plain-text client cannot hold up the others.

It reads each request, asks the App for a Response, and writes it; for a `Drop` it closes
the connection without writing anything, which clients see as a connection error.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .routes import App
from .web import Drop, Request, Response

HANDSHAKE_TIMEOUT = 10.0
IDLE_TIMEOUT = 60.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SalesforceSandbox/1.0"
    sys_version = ""
    timeout = IDLE_TIMEOUT
    server: SandboxHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the sandbox keeps its own call log."""

    def _read_body(self, limit: int) -> bytes | None:
        """The request body, or None if it is larger than `limit` (then left unread)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, size = [], 0
            while True:
                line = self.rfile.readline(65537).split(b";")[0].strip()
                length = int(line or b"0", 16)
                if length == 0:
                    while self.rfile.readline(65537).strip():
                        pass
                    return b"".join(chunks)
                size += length
                if size > limit:
                    return None
                chunks.append(self.rfile.read(length))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        if length > limit:
            return None
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers=dict(self.headers.items()),
        )
        app = self.server.app
        limit = app.ctx.settings.max_upload_bytes
        try:
            body = self._read_body(limit)
        except ValueError:
            self._write(app.reject(request, 400, "JSON_PARSER_ERROR", "Malformed request body"))
            return
        if body is None:
            message = f"Request body exceeds the {limit} byte limit"
            self._write(app.reject(request, 413, "REQUEST_ENTITY_TOO_LARGE", message))
            return
        request.body = body
        result = app.handle(request)
        if isinstance(result, Drop):
            self.close_connection = True
            return
        self._write(result)

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if response.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _dispatch


class SandboxHTTPServer(ThreadingHTTPServer):
    """Threaded HTTP server that performs the TLS handshake in each connection's thread."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App, ssl_context: ssl.SSLContext) -> None:
        self.app = app
        self.ssl_context = ssl_context
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (getfqdn), which can be slow offline.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def finish_request(self, request: socket.socket, client_address: tuple[str, int]) -> None:  # type: ignore[override]
        request.settimeout(HANDSHAKE_TIMEOUT)
        # Headers and body go out in separate writes: without NODELAY, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every response.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            connection = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with self._connections_lock:
            self._connections.add(connection)
        try:
            self.RequestHandlerClass(connection, client_address, self)
        except (ssl.SSLError, OSError):
            pass
        finally:
            with self._connections_lock:
                self._connections.discard(connection)
            with contextlib.suppress(OSError):
                connection.close()

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with contextlib.suppress(OSError):
            request.close()

    def close_connections(self) -> None:
        """Close every open client connection (idle keep-alive ones included)."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                connection.close()
