"""Figures of a benchmark run, kept in ``<BENCH_DIR>/results.json`` after every step so a
run cut short still reports what it measured."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.measure import Measurement


class Results:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = {"scales": {}, "sync": {}, "drt": {}}

    def scale(self, scale: str) -> dict[str, Any]:
        return self.data["scales"].setdefault(scale, {})

    def record(self, section: dict[str, Any], key: str, value: Measurement | Any) -> None:
        section[key] = asdict(value) if isinstance(value, Measurement) else value
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=2, default=str))
