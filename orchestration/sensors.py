"""Start the build when new or changed Parquet files appear under RAW_DATA_PATH."""

from __future__ import annotations

import json

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from audience_warehouse.settings import Settings
from orchestration.build_scope import SCOPE_TAG, WHOLE, BuildInputs, raw_files_snapshot
from orchestration.schedules import build_and_sync_job


@sensor(
    name="raw_parquet_sensor",
    job=build_and_sync_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.STOPPED,
    description="Runs build_and_sync when Parquet files under RAW_DATA_PATH are added or change.",
)
def raw_parquet_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    settings = Settings.from_env()
    raw = settings.raw_data_path
    if not raw.is_dir():
        return SkipReason(f"RAW_DATA_PATH {raw} does not exist")
    snapshot = raw_files_snapshot(raw)
    previous = json.loads(context.cursor) if context.cursor else None
    if snapshot["files"] == 0:
        return SkipReason(f"no Parquet files under {raw}")
    if previous and previous.get("digest") == snapshot["digest"]:
        return SkipReason(f"no new Parquet files under {raw}")
    return SensorResult(
        run_requests=[
            RunRequest(
                run_key=str(snapshot["digest"]),
                tags={
                    "raw_files": str(snapshot["files"]),
                    SCOPE_TAG: WHOLE,
                    **BuildInputs.now(settings, snapshot).tags(),
                },
            )
        ],
        cursor=json.dumps(snapshot),
    )


sensors = [raw_parquet_sensor]
