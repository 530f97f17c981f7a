"""The floor: one hand-written DuckDB query over the raw Parquet that computes, per
contact, page views, pricing page views and email link clicks over 7 and 30 days.

    python -m bench.floor RAW_DATA_PATH AS_OF OUT.duckdb

It resolves anonymous ids to contacts the way the build does (the most recent
(anonymous_id, user_id) pair at or before as_of, ties to the greatest user_id) and uses
the same calendar-day windows, but skips quarantine, dedupe, history and everything else:
a lower bound for what any build of these features must spend.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from bench.config import DUCKDB_BLOCK_ALLOCATOR_MEMORY, DUCKDB_MEMORY_LIMIT, DUCKDB_THREADS

PAIR_TABLES = ["pages", "tracks", "identifies"]


def floor_sql(raw: Path, as_of: str) -> str:
    def table(name: str) -> str:
        return f"read_parquet('{raw / name}/*.parquet')"

    pairs = "\n        union all\n".join(
        f"select anonymous_id, user_id, timestamp from {table(name)}"
        f" where anonymous_id is not null and user_id is not null"
        f" and timestamp <= timestamp '{as_of}'"
        for name in PAIR_TABLES
    )
    return f"""
create or replace table floor_counts as
with
as_of as (
    select timestamp '{as_of}' as at, date_trunc('day', timestamp '{as_of}') as day
),
pairs as (
        {pairs}
),
identity as (
    select anonymous_id, arg_max(user_id, (timestamp, user_id)) as contact_id
    from pairs group by anonymous_id
),
events as (
    select anonymous_id, user_id, timestamp,
        1 as is_page,
        (path = '/pricing' or path like '/pricing/%') as is_pricing
    from {table("pages")}
    union all
    select anonymous_id, user_id, timestamp, 0, false from {table("email_link_clicked")}
),
recent as (
    select coalesce(events.user_id, identity.contact_id) as contact_id, events.*
    from events, as_of
    left join identity on events.user_id is null and events.anonymous_id = identity.anonymous_id
    where events.timestamp <= as_of.at and events.timestamp >= as_of.day - interval 29 day
)
select
    contact_id,
    count(*) filter (where is_page = 1 and timestamp >= day - interval 6 day) as page_views_7d,
    count(*) filter (where is_page = 1) as page_views_30d,
    count(*) filter (where is_pricing and timestamp >= day - interval 6 day)
        as pricing_page_views_7d,
    count(*) filter (where is_pricing) as pricing_page_views_30d,
    count(*) filter (where is_page = 0 and timestamp >= day - interval 6 day)
        as email_clicks_7d,
    count(*) filter (where is_page = 0) as email_clicks_30d
from recent, as_of
where contact_id is not null
group by contact_id
"""


def main(argv: list[str]) -> int:
    raw, as_of, out = Path(argv[0]), argv[1], Path(argv[2])
    with duckdb.connect(str(out)) as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(f"set memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        connection.execute(f"set threads = {int(DUCKDB_THREADS)}")
        # after memory_limit: a percentage is of the limit in force (as in profiles.yml)
        connection.execute(f"set block_allocator_memory = '{DUCKDB_BLOCK_ALLOCATOR_MEMORY}'")
        connection.execute("set preserve_insertion_order = false")
        connection.execute(floor_sql(raw, as_of.replace("T", " ").rstrip("Z")))
        rows = connection.execute("select count(*) from floor_counts").fetchone()
    print(f"floor_counts: {rows[0] if rows else 0} contacts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
