"""Start the build when new or changed Parquet files appear under RAW_DATA_PATH."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from audience_warehouse.settings import Settings
from orchestration.schedules import build_and_sync_job


def raw_files_snapshot(raw_data_path: Path) -> dict[str, object]:
    """What the sensor compares between ticks: file count, newest mtime, and a digest of
    every Parquet file's relative path, size and mtime (so copies with old mtimes count)."""
    entries = []
    newest = 0.0
    for path in sorted(raw_data_path.rglob("*.parquet")):
        stat = path.stat()
        newest = max(newest, stat.st_mtime)
        entries.append(f"{path.relative_to(raw_data_path)}|{stat.st_size}|{stat.st_mtime_ns}")
    digest = hashlib.sha256("\n".join(entries).encode()).hexdigest()
    return {"files": len(entries), "newest_mtime": newest, "digest": digest}


@sensor(
    name="raw_parquet_sensor",
    job=build_and_sync_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.STOPPED,
    description="Runs build_and_sync when Parquet files under RAW_DATA_PATH are added or change.",
)
def raw_parquet_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    raw = Settings.from_env().raw_data_path
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
            RunRequest(run_key=str(snapshot["digest"]), tags={"raw_files": str(snapshot["files"])})
        ],
        cursor=json.dumps(snapshot),
    )


sensors = [raw_parquet_sensor]
