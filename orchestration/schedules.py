"""The job that builds everything and then syncs, and the schedules that start it."""

from __future__ import annotations

from dagster import AssetSelection, DefaultScheduleStatus, ScheduleDefinition, define_asset_job

from orchestration.dbt.assets import audience_dbt_assets
from orchestration.syncs.assets import sync_assets

# dbt build (every model, its tests as checks), then the syncs, which depend on the sync
# models and segment_health, so they start only after the dbt step.
build_and_sync_job = define_asset_job(
    name="build_and_sync",
    selection=AssetSelection.assets(audience_dbt_assets) | AssetSelection.assets(*sync_assets),
    description="dbt build of the whole project, then every reverse-ETL sync (health-gated).",
)

# Hourly at :15: time-driven features (windows, inactivity) move with as_of, so segments
# are re-evaluated every hour even without new data.
hourly_schedule = ScheduleDefinition(
    name="build_and_sync_hourly",
    job=build_and_sync_job,
    cron_schedule="15 * * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.STOPPED,
)

# Daily at 06:00 UTC, before the working day: for deployments that only want one run a day
# (turn on one of the two schedules, not both).
daily_schedule = ScheduleDefinition(
    name="build_and_sync_daily",
    job=build_and_sync_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.STOPPED,
)

schedules = [hourly_schedule, daily_schedule]
