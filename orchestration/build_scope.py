"""Whether a scheduled run builds the whole project or only what time moves.

A run that finds the same raw files and the same dbt project as the latest successful run
of `build_and_sync` is *time-only*: only as_of moved. It materializes the models that
read as_of (dbt tag `as_of`) and everything downstream of them, with their tests, and the
syncs. Staging, quarantine and the rollups over everything loaded change only when raw
files arrive, so their tables stay the last build's (tests/test_incremental_build.py
checks that a time-only run equals a whole build). Anything else (a new or rewritten raw
file, a changed model, macro, seed or test, no earlier successful run, a run started by
hand without these tags) builds the whole project.

What a run was built from is kept in its tags (RAW_FILES_TAG, PROJECT_TAG), so the next
tick decides from Dagster's run history without opening the warehouse (which a run may
hold: DuckDB has one writer).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dagster import AssetKey, AssetSelection, DagsterInstance, DagsterRunStatus, RunsFilter
from dagster_dbt import build_dbt_asset_selection

from audience_warehouse.dbt_runner import TIME_ONLY_SELECTOR
from audience_warehouse.settings import Settings
from orchestration.dbt.assets import audience_dbt_assets
from orchestration.syncs.assets import sync_assets

SCOPE_TAG = "audience_warehouse/scope"
RAW_FILES_TAG = "audience_warehouse/raw_files"
PROJECT_TAG = "audience_warehouse/project"
WHOLE, TIME_ONLY = "whole", "time_only"

# What decides a dbt build's result besides the raw files and as_of (dbt_project.yml's
# paths).
PROJECT_SOURCES = ("models", "macros", "seeds", "tests/dbt", "dbt_project.yml", "profiles.yml")


def raw_files_snapshot(raw_data_path: Path) -> dict[str, object]:
    """File count, newest mtime, and a digest of every Parquet file's relative path, size
    and mtime (so copies with old mtimes count) under `raw_data_path`."""
    entries = []
    newest = 0.0
    for path in sorted(raw_data_path.rglob("*.parquet")) if raw_data_path.is_dir() else []:
        stat = path.stat()
        newest = max(newest, stat.st_mtime)
        entries.append(f"{path.relative_to(raw_data_path)}|{stat.st_size}|{stat.st_mtime_ns}")
    digest = hashlib.sha256("\n".join(entries).encode()).hexdigest()
    return {"files": len(entries), "newest_mtime": newest, "digest": digest}


def project_digest(project_dir: Path) -> str:
    """A digest of the dbt project's sources: every file's relative path and contents."""
    digest = hashlib.sha256()
    for name in PROJECT_SOURCES:
        source = project_dir / name
        for path in sorted(source.rglob("*")) if source.is_dir() else [source]:
            if path.is_file():
                digest.update(str(path.relative_to(project_dir)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildInputs:
    """What a build reads besides as_of: the raw files and the dbt project."""

    raw_files: str
    project: str

    @classmethod
    def now(cls, settings: Settings, raw_snapshot: dict[str, object] | None = None) -> BuildInputs:
        """The inputs as they are now; `raw_snapshot` when the caller has just listed the
        raw files (raw_files_snapshot)."""
        snapshot = raw_snapshot
        if snapshot is None:
            snapshot = raw_files_snapshot(settings.raw_data_path)
        return cls(raw_files=str(snapshot["digest"]), project=project_digest(settings.project_dir))

    @classmethod
    def from_tags(cls, tags: dict[str, str]) -> BuildInputs | None:
        if RAW_FILES_TAG in tags and PROJECT_TAG in tags:
            return cls(raw_files=tags[RAW_FILES_TAG], project=tags[PROJECT_TAG])
        return None

    def tags(self) -> dict[str, str]:
        return {RAW_FILES_TAG: self.raw_files, PROJECT_TAG: self.project}


def last_successful_inputs(instance: DagsterInstance, job_name: str) -> BuildInputs | None:
    """The inputs of `job_name`'s latest successful run, if it recorded them."""
    runs = instance.get_runs(
        filters=RunsFilter(job_name=job_name, statuses=[DagsterRunStatus.SUCCESS]), limit=1
    )
    return BuildInputs.from_tags(dict(runs[0].tags)) if runs else None


def scope_for(current: BuildInputs, last_success: BuildInputs | None) -> str:
    """TIME_ONLY when the latest successful run read these very inputs, else WHOLE."""
    return TIME_ONLY if last_success == current else WHOLE


# The assets of a time-only run: the dbt models TIME_ONLY_SELECTOR selects, and the syncs.
TIME_ONLY_SELECTION = build_dbt_asset_selection(
    [audience_dbt_assets], dbt_select=TIME_ONLY_SELECTOR
) | AssetSelection.assets(*sync_assets)


@cache
def time_only_asset_keys() -> list[AssetKey]:
    keys = TIME_ONLY_SELECTION.resolve([audience_dbt_assets, *sync_assets])
    return sorted(keys, key=lambda key: key.to_user_string())
