"""The main job: demo data when none is configured, a full dbt build, and a summary.

make run            # or: python -m audience_warehouse.main_job [--as-of ISO] [--demo-size N]
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from audience_warehouse import demo_data
from audience_warehouse.dbt_runner import BUILD_ARGS, run_dbt
from audience_warehouse.demo_syncs import run_demo_syncs
from audience_warehouse.settings import Settings
from audience_warehouse.summary import summarize


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", help="ISO-8601 UTC 'now' for every window (default: now)")
    parser.add_argument("--demo-contacts", type=int, default=2_000)
    parser.add_argument("--demo-events", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-syncs", action="store_true", help="build only, sync nothing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings = Settings.from_env()
    if settings.has_raw_data():
        print(f"raw data: {settings.raw_data_path}")
    else:
        today = datetime.now(UTC).date()
        print(f"raw data: none at {settings.raw_data_path}; generating demo data ending {today}")
        demo_data.generate(
            settings.raw_data_path,
            contacts=args.demo_contacts,
            events=args.demo_events,
            seed=args.seed,
            end=today,
        )
    print(f"warehouse: {settings.warehouse_path}")
    dbt_vars = {"as_of": args.as_of} if args.as_of else None
    run_dbt(list(BUILD_ARGS), settings, dbt_vars=dbt_vars)
    print()
    print(summarize(settings.warehouse_path))
    if not args.no_syncs:
        print(run_demo_syncs(settings.warehouse_path))


if __name__ == "__main__":
    main()
