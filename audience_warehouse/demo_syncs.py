"""The demo's syncs: push the sync models to local HubSpot and Salesforce sandboxes.

The sandboxes live in this process and start empty, so the demo also starts each sync's
delivered state afresh (a real deployment keeps it: that is what makes reruns cheap).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from audience_warehouse.sandboxes.hubspot import HubSpotSandbox
from audience_warehouse.sandboxes.salesforce import SalesforceSandbox
from audience_warehouse.sync import state as sync_state
from audience_warehouse.sync.destinations.hubspot import HubSpotContacts
from audience_warehouse.sync.destinations.salesforce import SalesforceContacts
from audience_warehouse.sync.engine import RunResult, SyncConfig, run_sync

DEMO_TOKEN = "demo-hubspot-token"  # the sandbox's, not a real secret
DEMO_CLIENT = ("demo-client-id", "demo-client-secret")


def _forget_deliveries(connection: duckdb.DuckDBPyConnection, sync_name: str) -> None:
    sync_state.ensure_tables(connection)
    for table in ("sync_records", "sync_destination_objects"):
        connection.execute(
            f"delete from {sync_state.SCHEMA}.{table} where sync_name = ?", [sync_name]
        )


def _line(name: str, where: str, result: RunResult) -> str:
    return (
        f"  {name} -> {where}: {result.status}; added {result.added}, changed "
        f"{result.changed}, removed {result.removed}, rejected {result.rejected}, "
        f"API calls {result.api_calls}"
    )


def run_demo_syncs(warehouse_path: Path) -> str:
    lines = ["syncs (to local sandboxes, started fresh for the demo):"]
    with duckdb.connect(str(warehouse_path)) as connection:
        with HubSpotSandbox(port=0, token=DEMO_TOKEN) as hubspot:
            name = "sync_hubspot_contacts"
            _forget_deliveries(connection, name)
            destination = HubSpotContacts(access_token=DEMO_TOKEN, host=hubspot.base_url)
            result = run_sync(connection, SyncConfig(name), destination)
            lines.append(_line(name, f"HubSpot sandbox {hubspot.base_url}", result))
            for listed in sorted(hubspot.state()["lists"], key=lambda item: item["name"]):
                lines.append(f"    list {listed['name']!r}: {len(listed['memberIds'])} contacts")
        client_id, secret = DEMO_CLIENT
        with SalesforceSandbox(port=0, client_id=client_id, client_secret=secret) as salesforce:
            name = "sync_salesforce_contacts"
            _forget_deliveries(connection, name)
            destination = SalesforceContacts(
                login_url=salesforce.instance_url,
                client_id=client_id,
                client_secret=secret,
                ca_bundle=str(salesforce.ca_path),
            )
            result = run_sync(connection, SyncConfig(name), destination)
            lines.append(_line(name, f"Salesforce sandbox {salesforce.instance_url}", result))
            contacts = salesforce.state()["Contact"]
            tagged = sum(1 for record in contacts if record.get("Audience_Segments__c"))
            lines.append(f"    {len(contacts)} Contacts, {tagged} with Audience_Segments__c")
    return "\n".join(lines)
