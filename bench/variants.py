"""Generated segment variants: the reference segments with other windows and thresholds.

A rule segment's file holds its definition as YAML between ``{% set definition %}`` and
``{% endset %}``; a variant rewrites that YAML (windows cycled, thresholds moved) and keeps
the rest. A SQL segment's variant is a verbatim copy (same cost, another name).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

FEATURE_WINDOWS = [1, 7, 14, 30, 90]
EVENT_WINDOWS = [3, 7, 14, 30, 60, 90]
DEFINITION = re.compile(r"(\{% set definition %\}\n)(.*?)(\{% endset %\})", re.DOTALL)
WINDOW_SUFFIX = re.compile(r"^(?P<stem>.+)_(?P<days>\d+)d$")


def _cycle(options: list[int], value: int, step: int) -> int:
    nearest = min(range(len(options)), key=lambda i: abs(options[i] - value))
    return options[(nearest + step) % len(options)]


def _threshold(value: Any, step: int) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and value < 1:
        return round(value * (1 - 0.05 * (step % 4)), 3)
    return value + (step - 1) % 3


def vary(node: Any, step: int) -> Any:
    """A copy of one rule node with its windows and thresholds moved by `step`."""
    if isinstance(node, list):
        return [vary(item, step) for item in node]
    if not isinstance(node, dict):
        return node
    varied: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("gte", "gt", "lte", "lt"):
            varied[key] = _threshold(value, step)
        elif key == "between" and isinstance(value, list):
            varied[key] = [_threshold(v, step) for v in value]
        elif key == "within_days" and isinstance(value, int):
            varied[key] = _cycle(EVENT_WINDOWS, value, step)
        elif key == "within_hours" and isinstance(value, int):
            varied[key] = value + 12 * step
        elif key == "days" and isinstance(value, int):
            varied[key] = value + 7 * step
        elif key == "feature" and isinstance(value, str) and WINDOW_SUFFIX.match(value):
            match = WINDOW_SUFFIX.match(value)
            assert match is not None
            days = _cycle(FEATURE_WINDOWS, int(match["days"]), step)
            varied[key] = f"{match['stem']}_{days}d"
        else:
            varied[key] = vary(value, step)
    return varied


def variant_source(source: str, step: int) -> str:
    """The model file of one variant of a segment model file."""
    match = DEFINITION.search(source)
    if match is None:  # a SQL segment: the same query under another name
        return source
    definition = yaml.safe_load(match.group(2))
    definition["rule"] = vary(definition["rule"], step)
    text = yaml.safe_dump(definition, sort_keys=False, default_flow_style=None)
    return source[: match.start(2)] + text + source[match.end(2) :]


def write_variants(definitions: Path, reference: list[str], count: int) -> list[str]:
    """Write `count` variants of the `reference` segments into `definitions`, with their
    descriptions and tests; return their names."""
    names: list[str] = []
    docs: list[dict[str, Any]] = []
    for index in range(count):
        base = reference[index % len(reference)]
        step = index // len(reference) + 1
        name = f"{base}__v{step}"
        source = (definitions / f"{base}.sql").read_text()
        (definitions / f"{name}.sql").write_text(variant_source(source, step))
        names.append(name)
        docs.append(
            {
                "name": name,
                "description": f"Benchmark variant {step} of {base}.",
                "config": {"meta": {"owner": "bench"}},
                "data_tests": [{"segment_is_healthy": {"config": {"severity": "warn"}}}],
                "columns": [{"name": "contact_id"}, {"name": "reason"}],
            }
        )
    (definitions / "_bench_variants__models.yml").write_text(
        yaml.safe_dump({"version": 2, "models": docs}, sort_keys=False)
    )
    return names
