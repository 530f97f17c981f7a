"""A throwaway certificate authority (made with trustme) and the server's TLS context.

The CA certificate is written to a PEM file so clients can trust it with
`requests.Session.verify = ca_path` (and `trust_env = False`, or REQUESTS_CA_BUNDLE would
override it). The server certificate is for 127.0.0.1 and localhost.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from pathlib import Path

import trustme

CA_FILENAME = "salesforce-sandbox-ca.pem"


class TestCertificateAuthority:
    """Owns the CA file; `close()` removes it unless it was written into a given directory."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self._ca = trustme.CA(organization_name="Audience Warehouse Salesforce sandbox CA")
        self._server_cert = self._ca.issue_cert("127.0.0.1", "localhost")
        self._owned_dir = (
            None if directory is not None else Path(tempfile.mkdtemp(prefix="aw-sf-ca-"))
        )
        target = Path(directory) if directory is not None else self._owned_dir
        assert target is not None
        target.mkdir(parents=True, exist_ok=True)
        self.ca_path = target / CA_FILENAME
        self._ca.cert_pem.write_to_path(str(self.ca_path))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        self._server_cert.configure_cert(context)
        return context

    def close(self) -> None:
        if self._owned_dir is not None:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
