"""Everything Dagster loads: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

from dagster import Definitions

from orchestration.dbt.assets import audience_dbt_assets
from orchestration.dbt.resources import dbt_resource
from orchestration.freshness.checks import freshness_checks, freshness_sensor
from orchestration.schedules import build_and_sync_job, schedules
from orchestration.sensors import sensors
from orchestration.syncs.assets import sync_assets
from orchestration.syncs.resources import hubspot_resource, salesforce_resource

defs = Definitions(
    assets=[audience_dbt_assets, *sync_assets],
    asset_checks=freshness_checks,
    jobs=[build_and_sync_job],
    schedules=schedules,
    sensors=[*sensors, freshness_sensor],
    resources={
        "dbt": dbt_resource,
        "hubspot": hubspot_resource,
        "salesforce": salesforce_resource,
    },
)
