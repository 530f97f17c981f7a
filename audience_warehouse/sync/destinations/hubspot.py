"""HubSpot contacts through the official `hubspot-api-client` SDK.

Records are batch-upserted by email (100 per call; a 207 partial failure rejects only
the inputs it names). Each synced segment gets a MANUAL list ("Audience Warehouse:
<segment>") kept in step by the engine's list phase, and a boolean contact property
`aw_segment_<segment>` for the active-list pattern. Mapped properties whose names start
with `aw_` are created as custom properties when missing.

The access token comes from the environment (HUBSPOT_ACCESS_TOKEN); HUBSPOT_HOST points
the SDK at a sandbox. Neither is ever logged.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import hubspot
import urllib3
from hubspot.crm.contacts import BatchInputSimplePublicObjectBatchInputUpsert
from hubspot.crm.contacts.exceptions import ApiException as ContactsApiException
from hubspot.crm.lists import ListCreateRequest, MembershipChangeRequest
from hubspot.crm.lists.exceptions import ApiException as ListsApiException
from hubspot.crm.properties import PropertyCreate
from hubspot.crm.properties.exceptions import ApiException as PropertiesApiException
from urllib3.util.retry import Retry

from audience_warehouse.sync.destination import ListChange, Outcome, Record, RetryableError
from audience_warehouse.sync.ratelimit import bucket_for

T = TypeVar("T")
API_EXCEPTIONS = (ContactsApiException, ListsApiException, PropertiesApiException)
CUSTOM_PREFIX = "aw_"
TIMEOUT = (5.0, 60.0)


class HubSpotError(RuntimeError):
    """A non-retryable answer from HubSpot (bad request, auth, ...)."""


def _text(value: Any) -> str:
    """HubSpot properties are strings; booleans as true/false, missing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class HubSpotContacts:
    name = "hubspot"
    batch_size = 100
    # upsert calls open at once: a call's round trip (serialising 100 contacts, the API's
    # work) is longer than the 53 ms the rate limit allows between calls
    max_in_flight = 4
    uses_lists = True
    list_batch_size = 10_000
    daily_quota = 250_000  # private apps on Free/Starter; 650k or 1M on higher tiers

    def __init__(
        self,
        *,
        access_token: str | None = None,
        host: str | None = None,
        rate_limit: tuple[int, float] = (190, 10.0),
        list_prefix: str = "Audience Warehouse: ",
    ) -> None:
        token = access_token or os.environ.get("HUBSPOT_ACCESS_TOKEN")
        if not token:
            raise HubSpotError("HUBSPOT_ACCESS_TOKEN is not set")
        options: dict[str, Any] = {"access_token": token, "retry": Retry(total=0)}
        host = host or os.environ.get("HUBSPOT_HOST")
        if host:
            options["host"] = host.rstrip("/")
        self.client = hubspot.Client.create(**options)
        self.account = f"hubspot:{host or 'api.hubapi.com'}:{token[-6:]}"
        self.bucket = bucket_for(self.account, *rate_limit)
        self.list_prefix = list_prefix
        self.list_ids: dict[str, str] = {}
        self.api_calls = 0
        self._calls_lock = threading.Lock()

    def _call(self, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """One HTTP call: wait for the account's token bucket, map failures to retryable
        (429, 5xx, timeouts, dropped connections) or fatal errors."""
        self.bucket.acquire()
        with self._calls_lock:  # batches are sent from several threads (max_in_flight)
            self.api_calls += 1
        try:
            return method(*args, _request_timeout=TIMEOUT, **kwargs)
        except API_EXCEPTIONS as error:
            if error.status == 429:
                self.bucket.drain()
                retry_after = (error.headers or {}).get("Retry-After")
                raise RetryableError("429 rate limited", float(retry_after or 1.0)) from None
            if error.status is not None and error.status >= 500:
                raise RetryableError(f"HubSpot {error.status}") from None
            raise HubSpotError(f"HubSpot {error.status}: {error.body}") from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise RetryableError(f"HubSpot connection: {type(error).__name__}") from None

    # -- prepare ---------------------------------------------------------------------

    def prepare(self, segments: Sequence[str], fields: Sequence[str], memo: dict[str, str]) -> None:
        existing = {
            prop.name
            for prop in self._call(self.client.crm.properties.core_api.get_all, "contacts").results
        }
        for name in fields:
            if name.startswith(CUSTOM_PREFIX) and name not in existing:
                self._ensure_property(name, "string", "text")
        for segment in segments:
            if f"aw_segment_{segment}" not in existing:
                self._ensure_property(f"aw_segment_{segment}", "bool", "booleancheckbox")
            remembered = memo.get(f"list:{segment}")
            if remembered:
                self.list_ids[segment] = remembered
            memo[f"list:{segment}"] = self._ensure_list(segment)

    def _ensure_property(self, name: str, kind: str, field_type: str) -> None:
        options = []
        if kind == "bool":
            options = [
                {"label": "Yes", "value": "true", "hidden": False},
                {"label": "No", "value": "false", "hidden": False},
            ]
        request = PropertyCreate(
            name=name,
            label=name.replace("_", " "),
            type=kind,
            field_type=field_type,
            group_name="contactinformation",
            options=options,
        )
        try:
            self._call(self.client.crm.properties.core_api.create, "contacts", request)
        except HubSpotError as error:
            if "409" not in str(error):
                raise

    def _ensure_list(self, segment: str) -> str:
        if segment in self.list_ids:
            return self.list_ids[segment]
        name = self.list_prefix + segment
        try:
            found = self._call(self.client.crm.lists.lists_api.get_by_name, name, "0-1")
            list_id = str(found.list.list_id)
        except HubSpotError as error:
            if "404" not in str(error):
                raise
            request = ListCreateRequest(name=name, object_type_id="0-1", processing_type="MANUAL")
            created = self._call(self.client.crm.lists.lists_api.create, request)
            list_id = str(created.list.list_id)
        self.list_ids[segment] = list_id
        return list_id

    # -- records ---------------------------------------------------------------------

    def _properties(self, record: Record) -> dict[str, str]:
        properties = {name: _text(value) for name, value in record.fields.items()}
        for segment in self.list_ids:
            properties[f"aw_segment_{segment}"] = _text(segment in record.segments)
        properties["email"] = record.key
        return properties

    def _existing(self, records: Sequence[Record]) -> set[str]:
        body = {
            "idProperty": "email",
            "inputs": [{"id": record.key} for record in records],
            "properties": ["email"],
        }
        response = self._call(self.client.crm.contacts.batch_api.read, body, archived=False)
        return {(result.properties or {}).get("email", "").lower() for result in response.results}

    def upsert(self, records: Sequence[Record], *, create: bool, update: bool) -> list[Outcome]:
        skipped: dict[str, str] = {}
        if not (create and update):
            existing = self._existing(records)
            for record in records:
                if record.key in existing and not update:
                    skipped[record.key] = "exists in HubSpot (create-only sync)"
                if record.key not in existing and not create:
                    skipped[record.key] = "not in HubSpot (update-only sync)"
        to_send = [record for record in records if record.key not in skipped]
        outcomes = [Outcome(key, False, error=reason) for key, reason in skipped.items()]
        if not to_send:
            return outcomes
        body = BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                {"id": record.key, "idProperty": "email", "properties": self._properties(record)}
                for record in to_send
            ]
        )
        response = self._upsert_json(body)
        confirmed = {
            str((result.get("properties") or {}).get("email") or "").lower(): result
            for result in response.get("results") or []
        }
        errors = _errors_by_id(response.get("errors") or [])
        for record in to_send:
            result = confirmed.get(record.key)
            if result is None:
                reason = errors.get(record.key, "not confirmed by HubSpot")
                outcomes.append(Outcome(record.key, False, error=reason))
            else:
                outcomes.append(
                    Outcome(
                        record.key,
                        True,
                        str(result["id"]),
                        bool(result.get("new")),
                        None,
                        _utc_naive(result.get("createdAt")),
                    )
                )
        return outcomes

    def _upsert_json(self, body: BatchInputSimplePublicObjectBatchInputUpsert) -> dict[str, Any]:
        """The batch upsert's answer as plain JSON. The SDK still builds and sends the
        request and raises its ApiException for a failed one; only its response models
        are skipped (`_preload_content=False`): turning 100 contacts into model objects,
        three dates each through dateutil, cost more CPU than the whole rest of a call."""
        raw = self._call(self.client.crm.contacts.batch_api.upsert, body, _preload_content=False)
        try:
            return json.loads(raw.data or b"{}")
        finally:
            raw.release_conn()

    def remove(self, records: Sequence[Record], *, delete: bool) -> list[Outcome]:
        """HubSpot contacts are never deleted by a sync here: a CRM record holds more than
        we sent. Leaving every segment is applied by the list phase and the flags."""
        body = BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                {
                    "id": record.key,
                    "idProperty": "email",
                    "properties": {f"aw_segment_{s}": "false" for s in self.list_ids}
                    | {"email": record.key},
                }
                for record in records
            ]
        )
        if self.list_ids:
            self._call(self.client.crm.contacts.batch_api.upsert, body)
        return [Outcome(record.key, True) for record in records]

    def update_list(self, change: ListChange) -> None:
        list_id = self._ensure_list(change.segment)
        request = MembershipChangeRequest(
            record_ids_to_add=list(change.add), record_ids_to_remove=list(change.remove)
        )
        self._call(self.client.crm.lists.memberships_api.add_and_remove, list_id, request)


def _errors_by_id(errors: list[dict[str, Any]]) -> dict[str, str]:
    """The message of each failed input of a 207, keyed by the input id (its email)."""
    messages: dict[str, str] = {}
    for error in errors:
        context = error.get("context") or {}
        text = error.get("message") or json.dumps(error)
        for input_id in context.get("ids", []):
            messages[str(input_id).lower()] = text
    return messages


def _utc_naive(stamp: str | None) -> datetime | None:
    """An ISO 8601 time from HubSpot (UTC, `Z`) as a naive UTC datetime."""
    if not stamp:
        return None
    parsed = datetime.fromisoformat(stamp)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
