"""One resource per destination; secrets come from the environment through EnvVar.

Optional settings left unset fall back to the destination's own environment variables
(HUBSPOT_HOST, SALESFORCE_CA_BUNDLE), so a deployment only has to set those.
"""

from dagster import ConfigurableResource, EnvVar

from audience_warehouse.sync.destinations.hubspot import HubSpotContacts
from audience_warehouse.sync.destinations.salesforce import SalesforceContacts


class HubSpotResource(ConfigurableResource):
    """HubSpot contacts through the official SDK (a private-app access token)."""

    access_token: str
    host: str | None = None  # e.g. a sandbox's base URL; default api.hubapi.com

    def contacts(self) -> HubSpotContacts:
        return HubSpotContacts(access_token=self.access_token, host=self.host)


class SalesforceResource(ConfigurableResource):
    """Salesforce Contacts via the OAuth client-credentials flow of a connected app."""

    login_url: str
    client_id: str
    client_secret: str
    ca_bundle: str | None = None

    def contacts(self) -> SalesforceContacts:
        return SalesforceContacts(
            login_url=self.login_url,
            client_id=self.client_id,
            client_secret=self.client_secret,
            ca_bundle=self.ca_bundle,
        )


hubspot_resource = HubSpotResource(access_token=EnvVar("HUBSPOT_ACCESS_TOKEN"))
salesforce_resource = SalesforceResource(
    login_url=EnvVar("SALESFORCE_LOGIN_URL"),
    client_id=EnvVar("SALESFORCE_CLIENT_ID"),
    client_secret=EnvVar("SALESFORCE_CLIENT_SECRET"),
)
