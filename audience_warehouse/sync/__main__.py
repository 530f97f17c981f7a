"""Run one sync from the command line.

    python -m audience_warehouse.sync sync_hubspot_contacts [--mode upsert] [--dry-run]
        [--hold SEGMENT ...]

The warehouse is WAREHOUSE_PATH; credentials come from the destination's environment
variables (e.g. HUBSPOT_ACCESS_TOKEN, and HUBSPOT_HOST for a sandbox). A warehouse that
holds a back-test is never synced (exit 2; a dry run only warns): back_test.py.
"""

from __future__ import annotations

import argparse

import duckdb

from audience_warehouse.settings import Settings
from audience_warehouse.sync.back_test import back_test_reason
from audience_warehouse.sync.destinations.registry import destination_for
from audience_warehouse.sync.engine import SyncConfig, run_sync
from audience_warehouse.sync.plan import MODES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one reverse-ETL sync.")
    parser.add_argument("sync", help="the sync model, e.g. sync_hubspot_contacts")
    parser.add_argument("--mode", choices=MODES, default="upsert")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, call nothing")
    parser.add_argument(
        "--hold",
        action="append",
        default=[],
        metavar="SEGMENT",
        help="leave this segment as the destination last confirmed it (repeatable)",
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        back_test = back_test_reason(connection)
        if back_test is not None:
            print(f"{args.sync}: {'dry run only, ' if args.dry_run else 'not run: '}{back_test}")
            if not args.dry_run:
                return 2
        result = run_sync(
            connection,
            SyncConfig(args.sync, args.mode),
            destination_for(args.sync),
            dry_run=args.dry_run,
            held_segments=args.hold,
        )
    print(
        f"{args.sync}: {result.status}; added {result.added}, changed {result.changed}, "
        f"removed {result.removed}, rejected {result.rejected}, API calls {result.api_calls}"
    )
    return 0 if result.status in ("succeeded", "dry_run") else 1


if __name__ == "__main__":
    raise SystemExit(main())
