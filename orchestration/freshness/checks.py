"""Freshness checks on the tables syncs and BI read, and the sensor that evaluates them.

The pipeline refreshes hourly, so segment tables older than SEGMENT_TABLES_MAX_AGE
(default 2 hours: one missed run is tolerated) fail their freshness check. The checks are
WARN by default; the sensor evaluates them every few minutes, so the alert appears in the
UI (and in any alerting hooked to check failures) without a run.
"""

import os
from datetime import timedelta

from dagster import AssetKey, build_last_update_freshness_checks, build_sensor_for_freshness_checks

FRESH_TABLES = [
    AssetKey(["contact_features"]),
    AssetKey(["segment_memberships"]),
    AssetKey(["segments"]),
    AssetKey(["segment_health"]),
]
MAX_AGE = timedelta(hours=float(os.environ.get("SEGMENT_TABLES_MAX_AGE_HOURS", "2")))

freshness_checks = build_last_update_freshness_checks(
    assets=FRESH_TABLES, lower_bound_delta=MAX_AGE
)
freshness_sensor = build_sensor_for_freshness_checks(
    freshness_checks=freshness_checks, name="segment_tables_freshness", minimum_interval_seconds=300
)
