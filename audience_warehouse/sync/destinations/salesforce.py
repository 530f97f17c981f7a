"""Salesforce Contacts (or Leads) through `simple-salesforce`.

Records are upserted on an external id field (default Email__c): sObject Collections,
200 per call, for ordinary diffs, and Bulk API 2.0 when a batch is larger than that
(the engine hands over bigger batches when the plan is large). Segment membership is the
multi-select picklist Audience_Segments__c, sent with the record, so there is no list
phase. Login is OAuth 2.0 client credentials; field types come from `describe`, so
numbers and checkboxes are sent as such.

Environment: SALESFORCE_LOGIN_URL (the token endpoint's base, e.g. https://login.salesforce.com
or a sandbox URL), SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, and SALESFORCE_CA_BUNDLE
to trust a test CA. None of them is ever logged.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceRefusedRequest,
)

from audience_warehouse.sync.destination import ListChange, Outcome, Record, RetryableError
from audience_warehouse.sync.ratelimit import bucket_for

T = TypeVar("T")
API_VERSION = "59.0"
SEGMENTS_FIELD = "Audience_Segments__c"
COLLECTION_SIZE = 200
BULK_BATCH_SIZE = 10_000


class SalesforceSyncError(RuntimeError):
    """A non-retryable answer from Salesforce (bad request, bad credentials, ...)."""


class SalesforceContacts:
    name = "salesforce"
    uses_lists = False
    list_batch_size = 0
    daily_quota = 15_000  # API requests per 24 h; depends on edition and licences

    def __init__(
        self,
        *,
        login_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        ca_bundle: str | None = None,
        sobject: str = "Contact",
        external_id_field: str = "Email__c",
        bulk_threshold: int = 2_000,
        rate_limit: tuple[int, float] = (25, 1.0),
    ) -> None:
        self.login_url = (login_url or os.environ.get("SALESFORCE_LOGIN_URL", "")).rstrip("/")
        self._client_id = client_id or os.environ.get("SALESFORCE_CLIENT_ID")
        self._client_secret = client_secret or os.environ.get("SALESFORCE_CLIENT_SECRET")
        if not (self.login_url and self._client_id and self._client_secret):
            raise SalesforceSyncError(
                "set SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET"
            )
        self.session = requests.Session()
        self.session.trust_env = False  # else REQUESTS_CA_BUNDLE would override verify
        self.session.verify = ca_bundle or os.environ.get("SALESFORCE_CA_BUNDLE") or True
        self.sobject = sobject
        self.external_id_field = external_id_field
        self.bulk_threshold = bulk_threshold
        self.account = f"salesforce:{self.login_url}:{self._client_id}"
        self.bucket = bucket_for(self.account, *rate_limit)
        self.api_calls = 0
        self.field_types: dict[str, str] = {}
        self._sf: Salesforce | None = None

    # -- connection ------------------------------------------------------------------

    def _login(self) -> Salesforce:
        response = self.session.post(
            f"{self.login_url}/services/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._client_secret,
            },
            timeout=30,
        )
        if response.status_code != 200:
            raise SalesforceSyncError(
                f"Salesforce login failed ({response.status_code}): {response.json().get('error')}"
            )
        token = response.json()
        return Salesforce(
            instance_url=token["instance_url"],
            session_id=token["access_token"],
            session=self.session,
            version=API_VERSION,
        )

    @property
    def sf(self) -> Salesforce:
        if self._sf is None:
            self._sf = self._login()
        return self._sf

    def _call(self, action: Callable[[], T]) -> T:
        """One API call: pace it, log in again once on an expired session, and map
        failures to retryable (limits, 5xx, dropped connections) or fatal."""
        self.bucket.acquire()
        self.api_calls += 1
        try:
            return action()
        except SalesforceExpiredSession:
            self._sf = None
            raise RetryableError("session expired; logging in again") from None
        except SalesforceRefusedRequest as error:
            if "REQUEST_LIMIT_EXCEEDED" in str(error.content):
                self.bucket.drain()
                raise RetryableError("REQUEST_LIMIT_EXCEEDED", retry_after=5.0) from None
            raise SalesforceSyncError(f"Salesforce refused: {error.content}") from None
        except SalesforceGeneralError as error:
            if error.status >= 500:
                raise RetryableError(f"Salesforce {error.status}") from None
            raise SalesforceSyncError(f"Salesforce {error.status}: {error.content}") from None
        except SalesforceError as error:
            raise SalesforceSyncError(f"Salesforce: {error}") from None
        except (requests.ConnectionError, requests.Timeout) as error:
            raise RetryableError(f"Salesforce connection: {type(error).__name__}") from None
        except requests.exceptions.ChunkedEncodingError:
            raise RetryableError("Salesforce connection dropped") from None

    # -- engine interface ------------------------------------------------------------

    def batch_size_for(self, total: int) -> int:
        """Collections for small diffs, Bulk API 2.0 batches for large ones."""
        return BULK_BATCH_SIZE if total > self.bulk_threshold else COLLECTION_SIZE

    @property
    def batch_size(self) -> int:
        return COLLECTION_SIZE

    def prepare(self, segments: Sequence[str], fields: Sequence[str], memo: dict[str, str]) -> None:
        described = self._call(lambda: getattr(self.sf, self.sobject).describe())
        self.field_types = {field["name"]: field["type"] for field in described["fields"]}
        unknown = [name for name in fields if name not in self.field_types]
        if unknown:
            raise SalesforceSyncError(
                f"{self.sobject} has no field(s) {', '.join(unknown)}: fix the sync model mapping"
            )

    def _value(self, name: str, value: Any) -> Any:
        kind = self.field_types.get(name)
        if value is None or value == "":
            return None
        if kind in ("double", "currency", "int", "percent"):
            return float(value)
        if kind == "boolean":
            return value in (True, "true", "True", 1)
        return value

    def _row(self, record: Record, segments: Sequence[str]) -> dict[str, Any]:
        row = {name: self._value(name, value) for name, value in record.fields.items()}
        row[self.external_id_field] = record.key
        row[SEGMENTS_FIELD] = ";".join(segments) or None
        return row

    def upsert(self, records: Sequence[Record], *, create: bool, update: bool) -> list[Outcome]:
        skipped: dict[str, str] = {}
        if not (create and update):
            existing = self._existing([record.key for record in records])
            for record in records:
                if record.key in existing and not update:
                    skipped[record.key] = "exists in Salesforce (create-only sync)"
                if record.key not in existing and not create:
                    skipped[record.key] = "not in Salesforce (update-only sync)"
        outcomes = [Outcome(key, False, error=reason) for key, reason in skipped.items()]
        to_send = [record for record in records if record.key not in skipped]
        rows = [self._row(record, record.segments) for record in to_send]
        if len(rows) > COLLECTION_SIZE:
            return outcomes + self._bulk_upsert(rows)
        return outcomes + (self._collection_upsert(to_send, rows) if rows else [])

    def _existing(self, keys: Sequence[str]) -> set[str]:
        """Which of these external ids Salesforce already holds (SOQL, 200 at a time)."""
        found: set[str] = set()
        for start in range(0, len(keys), COLLECTION_SIZE):
            quoted = ", ".join(
                "'" + key.replace("\\", "\\\\").replace("'", "\\'") + "'"
                for key in keys[start : start + COLLECTION_SIZE]
            )
            query = (
                f"SELECT {self.external_id_field} FROM {self.sobject} "
                f"WHERE {self.external_id_field} IN ({quoted})"
            )
            result = self._call(lambda query=query: self.sf.query_all(query))
            found |= {row[self.external_id_field].lower() for row in result["records"]}
        return found

    def remove(self, records: Sequence[Record], *, delete: bool) -> list[Outcome]:
        """Clear the segments of records that left the sync (records are not deleted: the
        contract's API offers no delete, and a CRM record holds more than we sent)."""
        rows = [{self.external_id_field: record.key, SEGMENTS_FIELD: None} for record in records]
        outcomes: list[Outcome] = []
        for start in range(0, len(rows), COLLECTION_SIZE):
            outcomes += self._collection_upsert(
                records[start : start + COLLECTION_SIZE], rows[start : start + COLLECTION_SIZE]
            )
        return outcomes

    def update_list(self, change: ListChange) -> None:
        raise NotImplementedError("Salesforce carries segments on the record")

    # -- the two write paths ---------------------------------------------------------

    def _collection_upsert(
        self, records: Sequence[Record], rows: list[dict[str, Any]]
    ) -> list[Outcome]:
        body = {
            "allOrNone": False,
            "records": [{"attributes": {"type": self.sobject}, **row} for row in rows],
        }
        path = f"composite/sobjects/{self.sobject}/{self.external_id_field}"
        results = self._call(lambda: self.sf.restful(path, method="PATCH", json=body))
        outcomes = []
        for record, result in zip(records, results, strict=True):
            if result.get("success"):
                outcomes.append(
                    Outcome(record.key, True, result.get("id"), bool(result.get("created")))
                )
            else:
                errors = result.get("errors") or [{}]
                reason = "; ".join(f"{e.get('statusCode')}: {e.get('message')}" for e in errors)
                outcomes.append(Outcome(record.key, False, error=reason))
        return outcomes

    def _bulk_upsert(self, rows: list[dict[str, Any]]) -> list[Outcome]:
        columns = sorted({name for row in rows for name in row})
        records = [{c: "" if row.get(c) is None else str(row[c]) for c in columns} for row in rows]
        bulk = getattr(self.sf.bulk2, self.sobject)
        jobs = self._call(
            lambda: bulk.upsert(records=records, external_id_field=self.external_id_field, wait=0)
        )
        outcomes: dict[str, Outcome] = {}
        key = self.external_id_field
        for job in jobs:
            succeeded = self._call(lambda job=job: bulk.get_successful_records(job["job_id"]))
            for line in csv.DictReader(io.StringIO(succeeded)):
                created = line.get("sf__Created", "").lower() == "true"
                outcomes[line[key].lower()] = Outcome(
                    line[key].lower(), True, line.get("sf__Id"), created
                )
            failed = self._call(lambda job=job: bulk.get_failed_records(job["job_id"]))
            for line in csv.DictReader(io.StringIO(failed)):
                outcomes[line[key].lower()] = Outcome(
                    line[key].lower(), False, error=line.get("sf__Error") or "failed"
                )
        return [
            outcomes.get(row[key], Outcome(row[key], False, error="not in the bulk results"))
            for row in rows
        ]
