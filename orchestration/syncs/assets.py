"""Reverse-ETL assets: one per sync model, each gated on the health of its segments.

Keys are prefixed `reverse_etl/` so they do not collide with the dbt sync models of the
same name, on which they depend (and on segment_health, which gates them).

After a back-test (a build at an as_of earlier than the latest recorded run) no sync
runs: the asset fails with the reason and sends nothing (audience_warehouse/sync/back_test.py).
A carried segment that is unhealthy is held back, not the whole sync: the destination
keeps what it last confirmed for that segment (its list, its flag, records that would
join or leave only through it), the other segments sync, and the asset's
`segments_healthy` check fails (WARN) with the reason, so the UI and alerts show it.
"""

from collections.abc import Callable

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import get_asset_key_for_model

from audience_warehouse.settings import Settings
from audience_warehouse.sync.back_test import back_test_reason
from audience_warehouse.sync.destination import Destination
from audience_warehouse.sync.engine import RunResult, SyncConfig, run_sync
from orchestration.dbt.assets import audience_dbt_assets
from orchestration.syncs.gate import GateDecision, check_segment_health
from orchestration.syncs.resources import HubSpotResource, SalesforceResource

GROUP = "reverse_etl"
KEY_PREFIX = ["reverse_etl"]
HEALTH_KEY = get_asset_key_for_model([audience_dbt_assets], "segment_health")
HEALTH_CHECK = "segments_healthy"


class SyncRunConfig(Config):
    """mode: upsert (default), create_only, update_only or mirror (see the README)."""

    mode: str = "upsert"


def _health_check_result(decision: GateDecision) -> AssetCheckResult:
    return AssetCheckResult(
        check_name=HEALTH_CHECK,
        passed=decision.all_healthy,
        severity=AssetCheckSeverity.WARN,
        description=decision.reason,
        metadata={"held_back_segments": MetadataValue.json(decision.unhealthy)},
    )


def run_gated_sync(
    context: AssetExecutionContext,
    sync_name: str,
    make_destination: Callable[[], Destination],
    mode: str,
) -> MaterializeResult:
    """Refuse after a back-test; else read the health gate and run the engine with the
    unhealthy segments held back."""
    warehouse = Settings.from_env().warehouse_path
    with duckdb.connect(str(warehouse)) as connection:
        back_test = back_test_reason(connection)
        if back_test is not None:
            raise Failure(description=f"{sync_name} not run: {back_test}")
        decision = check_segment_health(connection, sync_name)
        (context.log.info if decision.all_healthy else context.log.warning)(decision.reason)
        result: RunResult = run_sync(
            connection,
            SyncConfig(sync_name, mode),
            make_destination(),
            held_segments=tuple(decision.unhealthy),
        )
    metadata = {
        "run_id": result.run_id,
        "status": result.status,
        "added": result.added,
        "changed": result.changed,
        "removed": result.removed,
        "rejected": result.rejected,
        "api_calls": result.api_calls,
        "unchanged": result.plan.unchanged,
        "segments": MetadataValue.json(list(decision.segments)),
        "held_back_segments": MetadataValue.json(decision.unhealthy),
        "held_back_records": result.plan.held_back,
    }
    if result.status != "succeeded":
        raise Failure(description=f"{sync_name} {result.status}", metadata=metadata)
    return MaterializeResult(metadata=metadata, check_results=[_health_check_result(decision)])


def _health_check_spec(sync_name: str) -> AssetCheckSpec:
    return AssetCheckSpec(
        HEALTH_CHECK,
        asset=AssetKey([*KEY_PREFIX, sync_name]),
        description="Every segment this sync carries passed its health checks "
        "(failing ones were held back).",
    )


@asset(
    key_prefix=KEY_PREFIX,
    group_name=GROUP,
    deps=[get_asset_key_for_model([audience_dbt_assets], "sync_hubspot_contacts"), HEALTH_KEY],
    kinds={"hubspot", "python"},
    check_specs=[_health_check_spec("sync_hubspot_contacts")],
    description="Push sync_hubspot_contacts to HubSpot (contacts + one list per segment).",
)
def sync_hubspot_contacts(
    context: AssetExecutionContext, config: SyncRunConfig, hubspot: HubSpotResource
) -> MaterializeResult:
    return run_gated_sync(context, "sync_hubspot_contacts", hubspot.contacts, config.mode)


@asset(
    key_prefix=KEY_PREFIX,
    group_name=GROUP,
    deps=[get_asset_key_for_model([audience_dbt_assets], "sync_salesforce_contacts"), HEALTH_KEY],
    kinds={"salesforce", "python"},
    check_specs=[_health_check_spec("sync_salesforce_contacts")],
    description="Push sync_salesforce_contacts to Salesforce Contacts (Audience_Segments__c).",
)
def sync_salesforce_contacts(
    context: AssetExecutionContext, config: SyncRunConfig, salesforce: SalesforceResource
) -> MaterializeResult:
    return run_gated_sync(context, "sync_salesforce_contacts", salesforce.contacts, config.mode)


sync_assets = [sync_hubspot_contacts, sync_salesforce_contacts]
