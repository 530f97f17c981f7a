"""Reverse-ETL assets: one per sync model, each gated on the health of its segments.

Keys are prefixed `reverse_etl/` so they do not collide with the dbt sync models of the
same name, on which they depend (and on segment_health, which gates them).

When a carried segment is unhealthy the asset raises `dagster.Failure` before touching the
destination: the run fails visibly (so alerts fire), the CRM keeps what it had, and the
other sync, an independent step, still runs.
"""

from collections.abc import Callable

import duckdb
from dagster import AssetExecutionContext, Config, Failure, MaterializeResult, MetadataValue, asset
from dagster_dbt import get_asset_key_for_model

from audience_warehouse.settings import Settings
from audience_warehouse.sync.destination import Destination
from audience_warehouse.sync.engine import RunResult, SyncConfig, run_sync
from orchestration.dbt.assets import audience_dbt_assets
from orchestration.syncs.gate import check_segment_health
from orchestration.syncs.resources import HubSpotResource, SalesforceResource

GROUP = "reverse_etl"
KEY_PREFIX = ["reverse_etl"]
HEALTH_KEY = get_asset_key_for_model([audience_dbt_assets], "segment_health")


class SyncRunConfig(Config):
    """mode: upsert (default), create_only, update_only or mirror (see the README)."""

    mode: str = "upsert"


def run_gated_sync(
    context: AssetExecutionContext,
    sync_name: str,
    make_destination: Callable[[], Destination],
    mode: str,
) -> MaterializeResult:
    """Check the gate, then run the engine; the destination is only built once it passes."""
    warehouse = Settings.from_env().warehouse_path
    with duckdb.connect(str(warehouse)) as connection:
        decision = check_segment_health(connection, sync_name)
        if not decision.proceed:
            context.log.error(decision.reason)
            raise Failure(
                description=decision.reason,
                metadata={
                    "skipped": True,
                    "unhealthy_segments": MetadataValue.json(decision.unhealthy),
                },
                allow_retries=False,
            )
        context.log.info(decision.reason)
        result: RunResult = run_sync(connection, SyncConfig(sync_name, mode), make_destination())
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
        "skipped": False,
    }
    if result.status != "succeeded":
        raise Failure(description=f"{sync_name} {result.status}", metadata=metadata)
    return MaterializeResult(metadata=metadata)


@asset(
    key_prefix=KEY_PREFIX,
    group_name=GROUP,
    deps=[get_asset_key_for_model([audience_dbt_assets], "sync_hubspot_contacts"), HEALTH_KEY],
    kinds={"hubspot", "python"},
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
    description="Push sync_salesforce_contacts to Salesforce Contacts (Audience_Segments__c).",
)
def sync_salesforce_contacts(
    context: AssetExecutionContext, config: SyncRunConfig, salesforce: SalesforceResource
) -> MaterializeResult:
    return run_gated_sync(context, "sync_salesforce_contacts", salesforce.contacts, config.mode)


sync_assets = [sync_hubspot_contacts, sync_salesforce_contacts]
