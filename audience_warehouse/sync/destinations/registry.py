"""Which destination class serves a sync model: sync_<destination>_<object>."""

from __future__ import annotations

from audience_warehouse.sync.destination import Destination


def destination_for(sync_name: str) -> Destination:
    """A destination configured from the environment for this sync model."""
    if sync_name.startswith("sync_hubspot_contacts"):
        from audience_warehouse.sync.destinations.hubspot import HubSpotContacts

        return HubSpotContacts()
    if sync_name.startswith("sync_salesforce_contacts"):
        from audience_warehouse.sync.destinations.salesforce import SalesforceContacts

        return SalesforceContacts()
    raise ValueError(f"no destination serves {sync_name!r} yet")
