"""Every dbt model as an asset, built with one `dbt build` (tests run as asset checks).

(No `from __future__ import annotations` here: Dagster reads the Config annotations.)
"""

import json

from dagster import AssetExecutionContext, Config
from dagster_dbt import DbtCliResource, dbt_assets

from audience_warehouse.dbt_runner import BUILD_ARGS
from orchestration.dbt.project import dbt_project
from orchestration.dbt.translator import AudienceDbtTranslator


class DbtBuildConfig(Config):
    """Run configuration for the dbt build.

    as_of: "now" for every window (e.g. "2026-11-20T12:00:00Z"); unset means the run's start
    time (the project's default). A past value back-tests and leaves segment history alone.
    """

    as_of: str | None = None


def dbt_build_args(config: DbtBuildConfig) -> list[str]:
    args = list(BUILD_ARGS)
    if config.as_of:
        args += ["--vars", json.dumps({"as_of": config.as_of})]
    return args


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=AudienceDbtTranslator(),
    project=dbt_project,
)
def audience_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig
):
    yield from dbt.cli(dbt_build_args(config), context=context).stream()
