"""The HubSpot sandbox as its own process, at HubSpot's 190 requests per 10 seconds."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from bench.config import PROJECT_DIR
from bench.measure import python

TOKEN = "bench-token"
RATE_LIMIT = (190, 10.0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_sandbox(log: Path) -> Iterator[str]:
    """Start the sandbox, yield its base URL, stop it (by its own process id)."""
    port = _free_port()
    command = [
        python(),
        "-m",
        "audience_warehouse.sandboxes.hubspot",
        "--port",
        str(port),
        "--token",
        TOKEN,
        "--rate-limit",
        f"{RATE_LIMIT[0]}/{RATE_LIMIT[1]:g}",
        "--daily-limit",
        "100000000",
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    requests.get(f"{url}/__sandbox/config", timeout=1).raise_for_status()
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def calls(url: str) -> dict[str, Any]:
    """Counts by endpoint and status (the log itself is left out: it can be large)."""
    body = requests.get(f"{url}/__sandbox/calls", timeout=60).json()
    return {key: value for key, value in body.items() if key != "calls"}


def reset(url: str) -> None:
    requests.post(f"{url}/__sandbox/reset", timeout=60).raise_for_status()


def read_contacts(url: str, emails: list[str], properties: list[str]) -> dict[str, dict]:
    """Contacts by email through the API's batch read (rate limited like any client)."""
    found: dict[str, dict] = {}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    for start in range(0, len(emails), 100):
        body = {
            "idProperty": "email",
            "inputs": [{"id": email} for email in emails[start : start + 100]],
            "properties": ["email", *properties],
        }
        while True:
            response = requests.post(
                f"{url}/crm/v3/objects/contacts/batch/read", json=body, headers=headers, timeout=60
            )
            if response.status_code != 429:
                break
            time.sleep(float(response.headers.get("Retry-After", "1")))
        response.raise_for_status()
        for result in response.json().get("results", []):
            found[result["properties"]["email"]] = result
    return found
