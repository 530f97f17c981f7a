"""Command line: ``python -m audience_warehouse.demo_data`` and ``aw-demo-data``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from .pipeline import generate


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m audience_warehouse.demo_data",
        description="Write deterministic demo data in the raw Segment layout "
        "(<out>/<table>/*.parquet).",
    )
    parser.add_argument("--out", type=Path, default=Path("data/raw"), help="raw data folder")
    parser.add_argument("--contacts", type=int, default=2000, help="known people")
    parser.add_argument("--events", type=int, default=200_000, help="pages + tracks rows")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=datetime.now(UTC).date(),
        help="exclusive end (ISO date, UTC) of the base period; default today",
    )
    parser.add_argument("--days", type=int, default=120, help="length of the base period")
    parser.add_argument("--batch", choices=["base", "increment"], default="base")
    parser.add_argument(
        "--increment-days", type=int, default=1, help="length of the increment period"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    counts = generate(
        args.out,
        contacts=args.contacts,
        events=args.events,
        seed=args.seed,
        end=args.end,
        days=args.days,
        batch=args.batch,
        increment_days=args.increment_days,
    )
    width = max(len(t) for t in counts)
    for table, rows in counts.items():
        print(f"{table:<{width}}  {rows:>10,}")
    print(f"{'pages + tracks':<{width}}  {counts['pages'] + counts['tracks']:>10,}")
    return 0
