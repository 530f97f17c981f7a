"""The Salesforce sandbox holds to the contract, through the real simple-salesforce SDK and raw
HTTPS: OAuth, sObject Collections upsert, Bulk API 2.0 ingest, limits, faults, TLS."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceRefusedRequest

from audience_warehouse.sandboxes.salesforce import FaultConfig, SalesforceSandbox
from audience_warehouse.sandboxes.salesforce.schemas import schema_error

CLIENT_ID = "aw-test-client"
CLIENT_SECRET = "aw-test-secret"
COLLECTIONS = "composite/sobjects/Contact/Email__c"
LIMIT_INFO = re.compile(r"^api-usage=\d+/\d+$")
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SalesforceSandbox]:
    with SalesforceSandbox(
        port=0, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, seed=7
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(sandbox: SalesforceSandbox) -> None:
    sandbox.reset()
    sandbox.configure(
        reset_faults=True,
        seed=7,
        daily_api_limit=15000,
        bulk_in_progress_polls=1,
        max_upload_bytes=150 * 1024 * 1024,
        token_ttl_seconds=7200,
        jwt_public_key=None,
    )


def oauth_token(sandbox: SalesforceSandbox) -> str:
    response = sandbox.session().post(
        f"{sandbox.instance_url}/services/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert schema_error("oauth_token_response", body) is None
    assert body["instance_url"] == sandbox.instance_url
    return body["access_token"]


@pytest.fixture
def sf(sandbox: SalesforceSandbox) -> Salesforce:
    return Salesforce(
        instance_url=sandbox.instance_url,
        session_id=oauth_token(sandbox),
        session=sandbox.session(),
    )


@pytest.fixture
def api(sandbox: SalesforceSandbox) -> requests.Session:
    session = sandbox.session()
    session.headers["Authorization"] = f"Bearer {oauth_token(sandbox)}"
    return session


def contact(email: str, **fields: object) -> dict[str, object]:
    return {"attributes": {"type": "Contact"}, "Email__c": email, **fields}


def contacts_by_email(sandbox: SalesforceSandbox) -> dict[str, dict[str, object]]:
    return {str(r["Email__c"]): r for r in sandbox.state()["Contact"]}


def assert_error(response: requests.Response, status: int, code: str) -> list[dict[str, object]]:
    assert response.status_code == status, response.text
    body = response.json()
    assert schema_error("error_response", body) is None, body
    assert body[0]["errorCode"] == code
    return body


# --- through the real SDK ------------------------------------------------------------


def test_sdk_collections_upsert_creates_then_updates(sandbox: SalesforceSandbox, sf) -> None:
    first = sf.restful(
        COLLECTIONS,
        method="PATCH",
        json={
            "allOrNone": False,
            "records": [
                contact("ada@example.com", LastName="Lovelace", Audience_Segments__c="vip;loyal"),
                contact("alan@example.com", FirstName="Alan", LastName="Turing"),
            ],
        },
    )
    assert schema_error("collections_upsert_response", first) is None
    assert [r["created"] for r in first] == [True, True]
    assert all(re.fullmatch(r"003[0-9A-Za-z]{15}", r["id"]) for r in first)

    second = sf.restful(
        COLLECTIONS,
        method="PATCH",
        json={
            "allOrNone": False,
            "records": [
                contact("ADA@example.com", Audience_Segments__c="vip; churn-risk ;vip"),
                contact("grace@example.com", FirstName="Grace"),  # no LastName
                contact("edsger@example.com", LastName="Dijkstra", Lifetime_Value__c="120.5"),
            ],
        },
    )
    assert schema_error("collections_upsert_response", second) is None
    assert second[0] == {"id": first[0]["id"], "success": True, "errors": [], "created": False}
    assert second[1] == {
        "success": False,
        "errors": [
            {
                "statusCode": "REQUIRED_FIELD_MISSING",
                "message": "Required fields are missing: [LastName]",
                "fields": ["LastName"],
            }
        ],
    }
    assert second[2]["success"] and second[2]["created"]

    state = contacts_by_email(sandbox)
    assert set(state) == {"ADA@example.com", "alan@example.com", "edsger@example.com"}
    assert state["ADA@example.com"]["LastName"] == "Lovelace"  # untouched by the update
    assert state["ADA@example.com"]["Audience_Segments__c"] == "vip;churn-risk"
    assert state["edsger@example.com"]["Lifetime_Value__c"] == 120.5
    assert sf.api_usage["api-usage"].used == 2

    found = sf.Contact.get_by_custom_id("Email__c", "ada@example.com")
    assert found["Id"] == first[0]["id"]
    queried = sf.query(
        "SELECT Id, Email__c FROM Contact WHERE Email__c IN ('alan@example.com', 'nobody@x.io')"
    )
    assert [r["Id"] for r in queried["records"]] == [first[1]["id"]]


def test_sdk_collections_per_record_errors_and_all_or_none_rollback(
    sandbox: SalesforceSandbox, sf
) -> None:
    partial = sf.restful(
        COLLECTIONS,
        method="PATCH",
        json={
            "records": [
                contact("one@example.com", LastName="One", Nickname__c="x"),
                contact("two@example.com", LastName="Two", Email="not-an-email"),
                contact("three@example.com", LastName="Three", Order_Count__c="many"),
                contact("four@example.com", LastName="Four"),
            ]
        },
    )
    codes = [r["errors"][0]["statusCode"] if not r["success"] else "OK" for r in partial]
    assert codes == [
        "INVALID_FIELD",
        "INVALID_EMAIL_ADDRESS",
        "INVALID_TYPE_ON_FIELD_IN_RECORD",
        "OK",
    ]

    before = sandbox.state()
    rolled_back = sf.restful(
        COLLECTIONS,
        method="PATCH",
        json={
            "allOrNone": True,
            "records": [
                contact("five@example.com", LastName="Five"),
                contact("four@example.com", LastName="Four-renamed"),
                contact("six@example.com"),
            ],
        },
    )
    assert schema_error("collections_upsert_response", rolled_back) is None
    assert [r["success"] for r in rolled_back] == [False, False, False]
    assert rolled_back[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert rolled_back[1]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert rolled_back[2]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert sandbox.state() == before
    log = sandbox.calls()
    assert [c["applied"] for c in log["calls"] if c["endpoint"] == "collections_upsert"] == [
        True,
        False,
    ]


def test_sdk_bulk2_upsert_end_to_end(sandbox: SalesforceSandbox, sf) -> None:
    sf.restful(
        COLLECTIONS,
        method="PATCH",
        json={"records": [contact(f"user{i}@example.com", LastName="Before") for i in range(5)]},
    )
    rows = [
        {
            "Email__c": f"user{i}@example.com",
            "LastName": "" if i % 25 == 24 else f"Last{i}",
            "Audience_Segments__c": "vip;loyal" if i % 2 else "new",
            "Order_Count__c": str(i),
        }
        for i in range(300)
    ]
    result = sf.bulk2.Contact.upsert(records=rows, external_id_field="Email__c", wait=0)
    assert len(result) == 1
    summary = result[0]
    assert summary["numberRecordsProcessed"] == 300
    assert summary["numberRecordsFailed"] == 12
    assert summary["numberRecordsTotal"] == 300

    job_id = summary["job_id"]
    records = sf.bulk2.Contact.get_all_ingest_records(job_id)
    succeeded, failed = records["successfulRecords"], records["failedRecords"]
    assert len(succeeded) == 288 and len(failed) == 12
    created = {r["Email__c"]: r["sf__Created"] for r in succeeded}
    assert created["user1@example.com"] == "false"  # existed before the job
    assert created["user5@example.com"] == "true"
    assert all(r["sf__Error"].startswith("REQUIRED_FIELD_MISSING:") for r in failed)
    assert records["unprocessedRecords"] == []

    state = contacts_by_email(sandbox)
    assert len(state) == 288  # user0..4 existed and were updated; 12 rows failed
    assert state["user1@example.com"]["LastName"] == "Last1"
    assert state["user3@example.com"]["Audience_Segments__c"] == "vip;loyal"
    assert state["user7@example.com"]["Order_Count__c"] == 7.0
    assert "user24@example.com" not in state
    ids = {r["sf__Id"] for r in succeeded}
    assert ids == {str(r["Id"]) for r in state.values()}


# --- OAuth and sessions ---------------------------------------------------------------


def _jwt(claims: dict[str, object], signer=None) -> str:
    def part(data: dict[str, object]) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    if signer is not None:
        import jwt

        return jwt.encode(claims, signer, algorithm="RS256")
    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


def test_oauth_errors_and_jwt_bearer(sandbox: SalesforceSandbox) -> None:
    session = sandbox.session()

    def token(**form: str) -> requests.Response:
        return session.post(sandbox.token_url, data=form, timeout=10)

    def oauth_error(response: requests.Response) -> str:
        assert response.status_code == 400
        assert schema_error("oauth_error_response", response.json()) is None
        return response.json()["error"]

    wrong_secret = token(grant_type="client_credentials", client_id=CLIENT_ID, client_secret="x")
    assert oauth_error(wrong_secret) == "invalid_client"
    unknown = token(grant_type="client_credentials", client_id="who", client_secret="x")
    assert oauth_error(unknown) == "invalid_client_id"
    assert oauth_error(token(grant_type="password")) == "unsupported_grant_type"
    assert oauth_error(token(grant_type=JWT_BEARER, assertion="not.a-jwt")) == "invalid_grant"

    claims = {
        "iss": CLIENT_ID,
        "sub": "integration@example.com",
        "aud": "https://login.salesforce.com",
        "exp": int(time.time()) + 300,
    }
    accepted = token(grant_type=JWT_BEARER, assertion=_jwt(claims))
    assert accepted.status_code == 200
    assert schema_error("oauth_token_response", accepted.json()) is None
    wrong_issuer = token(grant_type=JWT_BEARER, assertion=_jwt({**claims, "iss": "other"}))
    assert oauth_error(wrong_issuer) == "invalid_client_id"
    expired = token(grant_type=JWT_BEARER, assertion=_jwt({**claims, "exp": 1}))
    assert oauth_error(expired) == "invalid_grant"

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    sandbox.configure(jwt_public_key=public_pem.decode())
    signed = token(grant_type=JWT_BEARER, assertion=_jwt(claims, signer=key))
    assert signed.status_code == 200, signed.text
    assert oauth_error(token(grant_type=JWT_BEARER, assertion=_jwt(claims))) == "invalid_grant"


def test_bad_expired_and_revoked_tokens_get_401(sandbox: SalesforceSandbox) -> None:
    session = sandbox.session()
    url = sandbox.data_url("limits")
    missing = session.get(url, timeout=10)
    body = assert_error(missing, 401, "INVALID_SESSION_ID")
    assert body[0]["message"] == "Session expired or invalid"
    assert_error(
        session.get(url, headers={"Authorization": "Bearer nope"}, timeout=10),
        401,
        "INVALID_SESSION_ID",
    )
    sandbox.configure(token_ttl_seconds=0.2)
    short = oauth_token(sandbox)
    assert session.get(url, headers={"Authorization": f"Bearer {short}"}, timeout=10).ok
    time.sleep(0.3)
    expired = session.get(url, headers={"Authorization": f"Bearer {short}"}, timeout=10)
    assert_error(expired, 401, "INVALID_SESSION_ID")

    sandbox.configure(token_ttl_seconds=7200)
    live = oauth_token(sandbox)
    sandbox.configure(revoke_tokens=True)
    revoked = session.get(url, headers={"Authorization": f"Bearer {live}"}, timeout=10)
    assert_error(revoked, 401, "INVALID_SESSION_ID")


# --- raw HTTP: limits, validation, headers ---------------------------------------------


def test_more_than_200_records_is_400(sandbox: SalesforceSandbox, api) -> None:
    records = [contact(f"u{i}@example.com", LastName="L") for i in range(201)]
    response = api.patch(sandbox.data_url(COLLECTIONS), json={"records": records}, timeout=10)
    body = assert_error(response, 400, "EXCEEDED_ID_LIMIT")
    assert "cannot submit more than 200 records" in str(body[0]["message"])
    assert sandbox.state()["Contact"] == []
    ok = api.patch(sandbox.data_url(COLLECTIONS), json={"records": records[:200]}, timeout=10)
    assert ok.status_code == 200 and all(r["success"] for r in ok.json())


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "JSON_PARSER_ERROR"),
        (b"", 400, "JSON_PARSER_ERROR"),
        (json.dumps({"records": [], "extra": 1}).encode(), 400, "JSON_PARSER_ERROR"),
        (json.dumps({"allOrNone": "yes", "records": []}).encode(), 400, "JSON_PARSER_ERROR"),
        (json.dumps({"records": [{"Email__c": "a@b.co"}]}).encode(), 400, "JSON_PARSER_ERROR"),
        (
            json.dumps({"records": [contact("a@b.co", LastName={"nested": 1})]}).encode(),
            400,
            "JSON_PARSER_ERROR",
        ),
        (
            json.dumps(
                {"records": [{"attributes": {"type": "Lead"}, "Email__c": "a@b.co"}]}
            ).encode(),
            400,
            "INVALID_TYPE",
        ),
    ],
)
def test_invalid_collection_bodies_are_rejected(
    sandbox: SalesforceSandbox, api, body: bytes, status: int, code: str
) -> None:
    response = api.patch(
        sandbox.data_url(COLLECTIONS),
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert_error(response, status, code)
    assert sandbox.state()["Contact"] == []


def test_unknown_objects_fields_and_routes(sandbox: SalesforceSandbox, api) -> None:
    body = {"records": [contact("a@b.co", LastName="L")]}
    unknown_field = api.patch(sandbox.data_url("composite/sobjects/Contact/Nope__c"), json=body)
    assert_error(unknown_field, 404, "NOT_FOUND")
    not_external = api.patch(sandbox.data_url("composite/sobjects/Contact/LastName"), json=body)
    assert_error(not_external, 400, "INVALID_FIELD")
    assert_error(
        api.patch(sandbox.data_url("composite/sobjects/Widget/Email__c"), json=body),
        404,
        "NOT_FOUND",
    )
    assert_error(api.get(sandbox.data_url("nothing/here")), 404, "NOT_FOUND")
    assert_error(api.post(sandbox.data_url(COLLECTIONS), json=body), 405, "METHOD_NOT_ALLOWED")
    old_version = api.patch(
        sandbox.url("/services/data/v45.0/composite/sobjects/Contact/Email__c"), json=body
    )
    assert_error(old_version, 404, "NOT_FOUND")
    lead = api.patch(
        sandbox.url("/services/data/v60.0/composite/sobjects/Lead/Email__c"),
        json={"records": [{"attributes": {"type": "Lead"}, "Email__c": "l@b.co", "LastName": "L"}]},
    )
    assert lead.json()[0]["errors"][0]["fields"] == ["Company"]


def test_daily_api_limit_gives_403(sandbox: SalesforceSandbox, sf) -> None:
    sandbox.configure(daily_api_limit=3)
    for _ in range(3):
        sf.restful("limits")
    with pytest.raises(SalesforceRefusedRequest) as refused:
        sf.restful("limits")
    assert refused.value.status == 403
    assert refused.value.content[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
    raw = sandbox.session().get(
        sandbox.data_url("limits"), headers={"Authorization": f"Bearer {sf.session_id}"}
    )
    assert_error(raw, 403, "REQUEST_LIMIT_EXCEEDED")
    assert raw.headers["Sforce-Limit-Info"] == "api-usage=3/3"
    sandbox.configure(api_usage=0)
    assert sf.restful("limits")["DailyApiRequests"] == {"Max": 3, "Remaining": 2}


def test_every_response_carries_sforce_limit_info(sandbox: SalesforceSandbox, api) -> None:
    plain = sandbox.session()
    responses = [
        plain.post(sandbox.token_url, data={"grant_type": "nope"}),
        plain.get(sandbox.data_url("limits")),
        api.get(sandbox.data_url("limits")),
        api.get(sandbox.data_url("sobjects/Contact/describe")),
        api.get(sandbox.data_url("sobjects/Contact/Email__c/missing@example.com")),
        api.get(sandbox.data_url("query"), params={"q": "SELECT FROM"}),
        api.patch(
            sandbox.data_url(COLLECTIONS), data=b"{", headers={"Content-Type": "application/json"}
        ),
        api.get(sandbox.data_url("jobs/ingest")),
        plain.get(sandbox.url("/__sandbox/state")),
    ]
    assert [r.status_code for r in responses] == [400, 401, 200, 200, 404, 400, 400, 200, 200]
    for response in responses:
        assert LIMIT_INFO.match(response.headers["Sforce-Limit-Info"]), response.url
    assert responses[-2].headers["Sforce-Limit-Info"] == "api-usage=6/15000"


# --- Bulk API 2.0 over raw HTTP ---------------------------------------------------------


def _bulk_job(sandbox: SalesforceSandbox, api: requests.Session, csv_text: str) -> dict:
    created = api.post(
        sandbox.data_url("jobs/ingest"),
        json={
            "object": "Contact",
            "operation": "upsert",
            "externalIdFieldName": "Email__c",
            "contentType": "CSV",
            "lineEnding": "LF",
        },
    )
    assert created.status_code == 200, created.text
    job = created.json()
    assert schema_error("bulk_job_info", job) is None and job["state"] == "Open"
    upload = api.put(
        sandbox.url("/" + job["contentUrl"]),
        data=csv_text.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert upload.status_code == 201, upload.text
    return job


def _poll(sandbox: SalesforceSandbox, api: requests.Session, job_id: str) -> list[dict]:
    seen = []
    for _ in range(10):
        info = api.get(sandbox.data_url(f"jobs/ingest/{job_id}")).json()
        assert schema_error("bulk_job_info", info) is None
        seen.append(info)
        if info["state"] in ("JobComplete", "Failed", "Aborted"):
            break
    return seen


def test_bulk_job_lifecycle_and_results(sandbox: SalesforceSandbox, api) -> None:
    csv_text = (
        "Email__c,LastName,Audience_Segments__c\n"
        "a@example.com,Alpha,vip\n"
        'b@example.com,"Beta, Jr.",#N/A\n'
        "c@example.com,,vip\n"
    )
    job = _bulk_job(sandbox, api, csv_text)
    closed = api.patch(
        sandbox.data_url(f"jobs/ingest/{job['id']}"), json={"state": "UploadComplete"}
    )
    assert closed.json()["state"] == "UploadComplete"
    states = [info["state"] for info in _poll(sandbox, api, job["id"])]
    assert states == ["InProgress", "JobComplete"]
    final = api.get(sandbox.data_url(f"jobs/ingest/{job['id']}")).json()
    assert (final["numberRecordsProcessed"], final["numberRecordsFailed"]) == (3, 1)

    succeeded = api.get(sandbox.data_url(f"jobs/ingest/{job['id']}/successfulResults/"))
    assert succeeded.headers["Content-Type"].startswith("text/csv")
    lines = succeeded.text.splitlines()
    assert lines[0] == '"sf__Id","sf__Created","Email__c","LastName","Audience_Segments__c"'
    assert len(lines) == 3 and '"Beta, Jr."' in lines[2]
    failed = api.get(sandbox.data_url(f"jobs/ingest/{job['id']}/failedResults/")).text.splitlines()
    assert failed[0].startswith('"sf__Id","sf__Error"')
    assert "REQUIRED_FIELD_MISSING" in failed[1]
    state = contacts_by_email(sandbox)
    assert set(state) == {"a@example.com", "b@example.com"}
    assert state["b@example.com"]["Audience_Segments__c"] is None

    again = api.patch(sandbox.data_url(f"jobs/ingest/{job['id']}"), json={"state": "Aborted"})
    assert_error(again, 400, "INVALIDJOBSTATE")
    assert api.delete(sandbox.data_url(f"jobs/ingest/{job['id']}")).status_code == 204
    assert_error(api.get(sandbox.data_url(f"jobs/ingest/{job['id']}")), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ('Email__c,LastName\n"a@example.com,Alpha\n', "Failed to parse CSV"),
        ("Email__c,LastName\na@example.com,Alpha,extra\n", "Wrong number of columns"),
        ("Email__c,Shoe_Size__c\na@example.com,42\n", "Field name not found : Shoe_Size__c"),
        ("LastName\nAlpha\n", "Email__c is not in the CSV header"),
    ],
)
def test_malformed_bulk_csv_fails_the_job(
    sandbox: SalesforceSandbox, api, csv_text: str, message: str
) -> None:
    job = _bulk_job(sandbox, api, csv_text)
    api.patch(sandbox.data_url(f"jobs/ingest/{job['id']}"), json={"state": "UploadComplete"})
    final = _poll(sandbox, api, job["id"])[-1]
    assert final["state"] == "Failed"
    assert message in final["errorMessage"]
    assert sandbox.state()["Contact"] == []
    unprocessed = api.get(sandbox.data_url(f"jobs/ingest/{job['id']}/unprocessedrecords/"))
    assert unprocessed.status_code == 200


def test_bulk_upload_rules(sandbox: SalesforceSandbox, api) -> None:
    job = _bulk_job(sandbox, api, "Email__c,LastName\na@example.com,A\n")
    second = api.put(
        sandbox.data_url(f"jobs/ingest/{job['id']}/batches"),
        data=b"Email__c,LastName\nb@example.com,B\n",
        headers={"Content-Type": "text/csv"},
    )
    assert second.status_code == 201
    close = api.patch(
        sandbox.data_url(f"jobs/ingest/{job['id']}"), json={"state": "UploadComplete"}
    )
    assert_error(close, 400, "INVALIDJOB")
    aborted = api.patch(sandbox.data_url(f"jobs/ingest/{job['id']}"), json={"state": "Aborted"})
    assert aborted.json()["state"] == "Aborted"
    late = api.put(
        sandbox.data_url(f"jobs/ingest/{job['id']}/batches"),
        data=b"Email__c\n",
        headers={"Content-Type": "text/csv"},
    )
    assert_error(late, 409, "INVALIDJOBSTATE")
    bad_state = api.patch(sandbox.data_url(f"jobs/ingest/{job['id']}"), json={"state": "Open"})
    assert_error(bad_state, 400, "JSON_PARSER_ERROR")

    sandbox.configure(max_upload_bytes=1024)
    other = api.post(
        sandbox.data_url("jobs/ingest"),
        json={"object": "Contact", "operation": "upsert", "externalIdFieldName": "Email__c"},
    ).json()
    too_big = api.put(
        sandbox.data_url(f"jobs/ingest/{other['id']}/batches"),
        data=b"Email__c,LastName\n" + b"x@example.com,X\n" * 100,
        headers={"Content-Type": "text/csv"},
    )
    assert_error(too_big, 413, "REQUEST_ENTITY_TOO_LARGE")
    assert "Sforce-Limit-Info" in too_big.headers
    insert = api.post(
        sandbox.data_url("jobs/ingest"), json={"object": "Contact", "operation": "insert"}
    )
    assert insert.status_code == 400


# --- faults -------------------------------------------------------------------------------


def _upsert(sandbox: SalesforceSandbox, api: requests.Session, email: str, **kwargs):
    return api.patch(
        sandbox.data_url(COLLECTIONS),
        json={"records": [contact(email, LastName="Fault")]},
        **{"timeout": 10, **kwargs},
    )


@pytest.mark.parametrize(
    ("rate", "status", "code"),
    [
        ("error_503_rate", 503, "SERVER_UNAVAILABLE"),
        ("error_500_rate", 500, "UNKNOWN_EXCEPTION"),
        ("limit_burst_rate", 403, "REQUEST_LIMIT_EXCEEDED"),
    ],
)
def test_error_faults_apply_nothing(
    sandbox: SalesforceSandbox, api, rate: str, status: int, code: str
) -> None:
    sandbox.configure(faults={rate: 1.0})
    for _ in range(3):
        assert_error(_upsert(sandbox, api, "f@example.com"), status, code)
    assert sandbox.state()["Contact"] == []
    assert sandbox.calls()["writes_applied"] == 0


def test_limit_burst_runs_its_length(sandbox: SalesforceSandbox, api) -> None:
    sandbox.configure(faults={"limit_burst_rate": 1.0, "limit_burst_length": 3})
    assert _upsert(sandbox, api, "a@example.com").status_code == 403
    sandbox.configure(faults={"limit_burst_rate": 0.0})
    statuses = [_upsert(sandbox, api, "a@example.com").status_code for _ in range(3)]
    assert statuses == [403, 403, 200]


def test_dropped_connections_before_and_after_apply(sandbox: SalesforceSandbox, api) -> None:
    sandbox.configure(faults={"drop_before_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        _upsert(sandbox, api, "before@example.com")
    assert sandbox.state()["Contact"] == []

    sandbox.configure(faults={"drop_before_rate": 0.0, "drop_after_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        _upsert(sandbox, api, "after@example.com")
    assert list(contacts_by_email(sandbox)) == ["after@example.com"]

    sandbox.configure(reset_faults=True)
    retried = _upsert(sandbox, api, "after@example.com").json()
    assert retried[0]["created"] is False  # the retry finds the record, no duplicate
    faults = [(c["fault"], c["status"], c["applied"]) for c in sandbox.calls()["calls"]]
    assert (("drop_before", None, False)) in faults and ("drop_after", None, True) in faults


def test_slow_responses_apply_then_answer_late(sandbox: SalesforceSandbox, api) -> None:
    sandbox.configure(faults={"slow_rate": 1.0, "slow_seconds": 0.6})
    with pytest.raises(requests.ReadTimeout):
        _upsert(sandbox, api, "slow@example.com", timeout=0.2)
    assert list(contacts_by_email(sandbox)) == ["slow@example.com"]
    started = time.monotonic()
    assert _upsert(sandbox, api, "slow2@example.com", timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.55


def test_injected_record_failures(sandbox: SalesforceSandbox, api, sf) -> None:
    sandbox.configure(faults={"record_failure_rate": 1.0})
    records = [contact(f"r{i}@example.com", LastName="R") for i in range(6)]
    results = api.patch(sandbox.data_url(COLLECTIONS), json={"records": records}).json()
    codes = {r["errors"][0]["statusCode"] for r in results}
    assert not any(r["success"] for r in results)
    assert codes <= {"INVALID_EMAIL_ADDRESS", "UNABLE_TO_LOCK_ROW"} and codes
    bulk = sf.bulk2.Contact.upsert(
        records=[{"Email__c": "b@example.com", "LastName": "B"}],
        external_id_field="Email__c",
        wait=0,
    )
    assert bulk[0]["numberRecordsFailed"] == 1
    assert sandbox.state()["Contact"] == []

    sandbox.configure(
        faults={"record_failure_rate": 0.5, "record_failure_codes": ["UNABLE_TO_LOCK_ROW"]}
    )
    mixed = api.patch(
        sandbox.data_url(COLLECTIONS), json={"allOrNone": True, "records": records}
    ).json()
    assert {e["statusCode"] for r in mixed for e in r["errors"]} == {
        "UNABLE_TO_LOCK_ROW",
        "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    }
    assert sandbox.state()["Contact"] == []


def test_faults_are_deterministic_for_a_seed(sandbox: SalesforceSandbox, api) -> None:
    def statuses(target: SalesforceSandbox, session: requests.Session) -> list[int]:
        return [_upsert(target, session, f"d{i}@example.com").status_code for i in range(30)]

    sandbox.configure(seed=42, faults={"error_503_rate": 0.3, "error_500_rate": 0.2})
    first = statuses(sandbox, api)
    assert {200, 500, 503} <= set(first)
    sandbox.reset()  # restarts the fault streams from the seed
    assert statuses(sandbox, api) == first

    faults = FaultConfig(error_503_rate=0.3, error_500_rate=0.2)
    with SalesforceSandbox(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, faults=faults, seed=42
    ) as other:
        session = other.session()
        session.headers["Authorization"] = f"Bearer {other.issue_token()}"
        assert statuses(other, session) == first
        other.configure(seed=43)
        assert statuses(other, session) != first


# --- TLS, admin API, concurrency, CLI -----------------------------------------------------


def test_tls_needs_the_sandbox_ca(sandbox: SalesforceSandbox) -> None:
    session = requests.Session()
    session.trust_env = False
    with pytest.raises(requests.exceptions.SSLError):
        session.get(sandbox.url("/__sandbox/state"), timeout=10)
    assert sandbox.session().get(sandbox.url("/__sandbox/state"), timeout=10).status_code == 200
    assert sandbox.instance_url.startswith("https://127.0.0.1:")
    assert Path(sandbox.ca_path).read_text().startswith("-----BEGIN CERTIFICATE-----")


def test_admin_api_over_http(sandbox: SalesforceSandbox, api) -> None:
    admin = sandbox.session()
    _upsert(sandbox, api, "adm@example.com")
    state = admin.get(sandbox.url("/__sandbox/state")).json()
    assert [r["Email__c"] for r in state["Contact"]] == ["adm@example.com"] and state["Lead"] == []
    calls = admin.get(sandbox.url("/__sandbox/calls")).json()
    assert calls["counts"]["collections_upsert"] == 1 and calls["writes_applied"] == 1
    config = admin.post(
        sandbox.url("/__sandbox/config"), json={"faults": {"error_503_rate": 1.0}}
    ).json()
    assert config["faults"]["error_503_rate"] == 1.0
    assert _upsert(sandbox, api, "adm@example.com").status_code == 503
    bad = admin.post(sandbox.url("/__sandbox/config"), json={"faults": {"bogus": 1}})
    assert bad.status_code == 400
    assert admin.post(sandbox.url("/__sandbox/reset")).json() == {"reset": True}
    assert admin.get(sandbox.url("/__sandbox/state")).json()["Contact"] == []
    with pytest.raises(ValueError, match="rate"):
        sandbox.configure(faults={"slow_rate": 2})


def test_concurrent_writes_are_all_applied(sandbox: SalesforceSandbox, api) -> None:
    token = api.headers["Authorization"]
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        session = sandbox.session()
        session.headers["Authorization"] = token
        try:
            records = [contact(f"t{n}-{i}@example.com", LastName="T") for i in range(25)]
            response = session.patch(
                sandbox.data_url(COLLECTIONS), json={"records": records}, timeout=10
            )
            assert all(r["success"] for r in response.json())
        except BaseException as exc:  # collected, asserted in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert not errors
    records = sandbox.state()["Contact"]
    assert len(records) == 200 and len({r["Id"] for r in records}) == 200


def test_sdk_errors_surface_as_sdk_exceptions(sf) -> None:
    with pytest.raises(SalesforceMalformedRequest) as malformed:
        sf.restful(COLLECTIONS, method="PATCH", json={"records": [], "bogus": True})
    assert malformed.value.content[0]["errorCode"] == "JSON_PARSER_ERROR"


def test_cli_prints_instance_url_and_ca_path(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "audience_warehouse.sandboxes.salesforce"]
    process = subprocess.Popen(
        [*command, "--port", "0", "--ca-dir", str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        lines.extend(process.stdout.readline() for _ in range(2))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=20)
    process.terminate()
    process.wait(timeout=10)
    assert len(lines) == 2, "the CLI did not start in time"
    assert lines[0].startswith("Salesforce sandbox at https://127.0.0.1:")
    ca_path = lines[1].split(": ", 1)[1].strip()
    assert Path(ca_path).parent == tmp_path
