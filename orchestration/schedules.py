"""The job that builds everything and then syncs, and the schedules that start it.

Each scheduled run evaluates every window at its tick (`as_of` = the scheduled time, not
the moment a worker picks it up), so a run that starts late or is retried computes the
same segments. With no new events the hourly run is a time-only re-evaluation: windows
and inactivity move with `as_of`, members enter and leave, and the syncs send exactly
those changes. Such a run builds only the models that read as_of and what is downstream
of them (orchestration/build_scope.py decides, from the latest successful run's tags).
"""

from __future__ import annotations

from datetime import UTC, datetime

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

from audience_warehouse.settings import Settings
from orchestration.build_scope import (
    SCOPE_TAG,
    TIME_ONLY,
    BuildInputs,
    last_successful_inputs,
    scope_for,
    time_only_asset_keys,
)
from orchestration.dbt.assets import audience_dbt_assets
from orchestration.syncs.assets import sync_assets

# DuckDB allows one writer: orchestration/dagster.yaml limits runs with this tag to one.
WAREHOUSE_TAG = {"audience_warehouse/warehouse": "writer"}
DBT_OP = "audience_dbt_assets"

# dbt build (every model, its tests as checks), then the syncs, which depend on the sync
# models and segment_health, so they start only after the dbt step: never on stale data.
build_and_sync_job = define_asset_job(
    name="build_and_sync",
    selection=AssetSelection.assets(audience_dbt_assets) | AssetSelection.assets(*sync_assets),
    description="dbt build of the whole project, then every reverse-ETL sync (health-gated).",
    tags=WAREHOUSE_TAG,
)


def as_of_run_config(moment: datetime) -> dict:
    """Run config that evaluates every window at `moment` (UTC)."""
    as_of = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"ops": {DBT_OP: {"config": {"as_of": as_of}}}}


def _tick_request(context: ScheduleEvaluationContext) -> RunRequest:
    """The run of one tick: the whole project, or only what time moves when the raw files
    and the dbt project are those of the latest successful run (build_scope)."""
    moment = context.scheduled_execution_time or datetime.now(UTC)
    inputs = BuildInputs.now(Settings.from_env())
    scope = scope_for(inputs, last_successful_inputs(context.instance, build_and_sync_job.name))
    return RunRequest(
        run_config=as_of_run_config(moment),
        tags={"as_of": moment.isoformat(), SCOPE_TAG: scope, **inputs.tags()},
        asset_selection=time_only_asset_keys() if scope == TIME_ONLY else None,
    )


def _tick_schedule(name: str, cron: str) -> ScheduleDefinition:
    """`build_and_sync` on `cron` (UTC), evaluating windows at each tick; off by default."""

    @schedule(
        name=name,
        job=build_and_sync_job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=DefaultScheduleStatus.STOPPED,
    )
    def _schedule(context: ScheduleEvaluationContext) -> RunRequest:
        return _tick_request(context)

    return _schedule


# Hourly at :15, incremental: new events since the last load, and time-driven segments
# re-evaluated even when nothing arrived (then a time-only run: build_scope).
hourly_schedule = _tick_schedule("build_and_sync_hourly", "15 * * * *")

# Daily at 06:00 UTC, before the working day: for deployments that only want one run a day
# (turn on one of the two schedules, not both).
daily_schedule = _tick_schedule("build_and_sync_daily", "0 6 * * *")

schedules: list[ScheduleDefinition] = [hourly_schedule, daily_schedule]
