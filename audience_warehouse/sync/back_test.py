"""Whether the warehouse holds a back-test, which no sync may push.

A build at an `as_of` earlier than the latest run recorded in `segment_runs` is a
back-test (README, "History, health and back-tests"): it rebuilds contact_features, the
segments and the sync models as they were then, and leaves history and health alone.
Sending that to a destination would replace today's values and memberships with old
ones, so the syncs (the Dagster sync assets and `python -m audience_warehouse.sync`)
refuse to run until a build at the current time.
"""

from __future__ import annotations

import duckdb

RUNS_TABLE = "segment_runs"
FEATURES_TABLE = "contact_features"  # what the sync models are built from


def back_test_reason(connection: duckdb.DuckDBPyConnection) -> str | None:
    """Why no sync may run now, or None: the as_of that contact_features, and so the sync
    models, were last built at is earlier than the latest run recorded in segment_runs.
    Before any run is recorded there is nothing to compare, and None is returned."""
    try:
        built_at, recorded_at = connection.execute(
            f"select (select max(as_of) from {FEATURES_TABLE}), "
            f"(select max(as_of) from {RUNS_TABLE})"
        ).fetchone()
    except duckdb.CatalogException:
        return None
    if built_at is None or recorded_at is None or built_at >= recorded_at:
        return None
    return (
        f"the warehouse holds a back-test: {FEATURES_TABLE} was last built at as_of "
        f"{built_at}, earlier than the latest recorded run ({recorded_at} in {RUNS_TABLE}); "
        "nothing is sent until a build at the current time"
    )
