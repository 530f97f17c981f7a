"""The benchmark's figures, kept in one committed file (``docs/benchmarks.json``;
BENCH_RESULTS overrides) and merged across runs: a run loads it, every step it measures
replaces that step's entry and the steps it skips keep theirs. Each section (``scales.
<scale>``, ``sync``, ``drt``) has a ``measured`` map naming the run of each entry, e.g.
``{"full_build": {"commit": "4724dc0", "at": "2026-12-02 03:10"}}`` (UTC; the figures
carried over from the table of before this file have 00:00, time unknown). The top-level
``machine`` is the latest run's. The file is written after every step, so a run cut short
keeps what it measured."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import machine
from bench.measure import Measurement

MEASURED = "measured"
SECTIONS = ("scales", "sync", "drt")


class Results:
    def __init__(self, path: Path, *, commit: str | None = None) -> None:
        self.path = path
        self.data: dict[str, Any] = {section: {} for section in SECTIONS}
        self._commit = commit

    @classmethod
    def load(cls, path: Path, *, commit: str | None = None) -> Results:
        """The figures recorded in `path` so far (none when it does not exist yet)."""
        results = cls(path, commit=commit)
        if path.exists():
            results.data.update(json.loads(path.read_text()))
        return results

    @property
    def commit(self) -> str:
        """The commit stamped on what this run records (HEAD, looked up once)."""
        if self._commit is None:
            self._commit = machine.commit()
        return self._commit

    def scale(self, scale: str) -> dict[str, Any]:
        return self.data["scales"].setdefault(scale, {})

    def record(self, section: dict[str, Any], key: str, value: Measurement | Any) -> None:
        section[key] = asdict(value) if isinstance(value, Measurement) else value
        section.setdefault(MEASURED, {})[key] = {
            "commit": self.commit,
            "at": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        }
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=2, default=str) + "\n")
