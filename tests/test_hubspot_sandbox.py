"""The HubSpot sandbox speaks the CRM v3 contract: through the official SDK and raw HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import hubspot
import pytest
import requests
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInputUpsert,
    BatchReadInputSimplePublicObjectId,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectId,
)
from hubspot.crm.lists import ListCreateRequest, MembershipChangeRequest
from hubspot.crm.properties import OptionInput, PropertyCreate
from hubspot.crm.properties.exceptions import ApiException as PropertiesApiException

from audience_warehouse.sandboxes.hubspot import FaultConfig, HubSpotSandbox, RateLimitConfig
from audience_warehouse.sandboxes.hubspot.ratelimit import RateLimiter

TOKEN = "test-token"
UPSERT = "/crm/v3/objects/contacts/batch/upsert"
RATE_HEADERS = (
    "X-HubSpot-RateLimit-Max",
    "X-HubSpot-RateLimit-Remaining",
    "X-HubSpot-RateLimit-Interval-Milliseconds",
    "X-HubSpot-RateLimit-Daily",
    "X-HubSpot-RateLimit-Daily-Remaining",
)


@pytest.fixture
def sandbox() -> Iterator[HubSpotSandbox]:
    with HubSpotSandbox(port=0, token=TOKEN, seed=1) as running:
        yield running


def call(
    sandbox: HubSpotSandbox,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = TOKEN,
    **kwargs: Any,
) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(
        method, sandbox.base_url + path, json=body, headers=headers, timeout=10, **kwargs
    )


def upsert_body(*emails: str, **properties: str) -> dict[str, Any]:
    return {
        "inputs": [
            {"id": email, "idProperty": "email", "properties": dict(properties)} for email in emails
        ]
    }


def sdk(sandbox: HubSpotSandbox) -> hubspot.Client:
    return hubspot.Client.create(
        access_token=TOKEN, host=sandbox.base_url, client_side_validation=True
    )


def upsert_input(email: str, **properties: str) -> SimplePublicObjectBatchInputUpsert:
    return SimplePublicObjectBatchInputUpsert(id=email, id_property="email", properties=properties)


def contacts_by_email(sandbox: HubSpotSandbox) -> dict[str, dict[str, Any]]:
    return {c["properties"]["email"]: c for c in sandbox.state()["contacts"]}


# --- through the official SDK ----------------------------------------------------------------


def test_sdk_round_trip_matches_sandbox_state(sandbox: HubSpotSandbox) -> None:
    client = sdk(sandbox)
    batch = client.crm.contacts.batch_api

    created = batch.upsert(
        BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                upsert_input("Ada@Example.com", firstname="Ada", lastname="Lovelace"),
                upsert_input("alan@example.com", firstname="Alan", lifecyclestage="lead"),
            ]
        )
    )
    assert created.status == "COMPLETE"
    assert [r.new for r in created.results] == [True, True]
    ids = {r.properties["email"]: r.id for r in created.results}
    assert set(ids) == {"ada@example.com", "alan@example.com"}
    assert all(record_id.isdigit() for record_id in ids.values())

    prop = client.crm.properties.core_api.create(
        "contacts",
        PropertyCreate(
            name="aw_segment",
            label="Audience segment",
            type="enumeration",
            field_type="select",
            group_name="contactinformation",
            options=[
                OptionInput(label="Champions", value="champions", hidden=False),
                OptionInput(label="At risk", value="at_risk", hidden=False),
            ],
        ),
    )
    assert prop.name == "aw_segment"
    assert [o.value for o in prop.options] == ["champions", "at_risk"]
    assert (
        client.crm.properties.core_api.get_by_name("contacts", "aw_segment").type == "enumeration"
    )

    updated = batch.upsert(
        BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[upsert_input("ada@example.com", firstname="Augusta", aw_segment="champions")]
        )
    )
    assert updated.results[0].new is False
    assert updated.results[0].id == ids["ada@example.com"]
    assert updated.results[0].properties["aw_segment"] == "champions"

    read = batch.read(
        BatchReadInputSimplePublicObjectId(
            id_property="email",
            inputs=[SimplePublicObjectId(id="ADA@example.com")],
            properties=["firstname", "aw_segment"],
            properties_with_history=[],
        )
    )
    assert read.results[0].properties["firstname"] == "Augusta"
    assert (
        client.crm.contacts.basic_api.get_by_id(ids["alan@example.com"]).id
        == ids["alan@example.com"]
    )

    lists = client.crm.lists
    made = lists.lists_api.create(
        ListCreateRequest(name="AW champions", object_type_id="0-1", processing_type="MANUAL")
    )
    list_id = made.list.list_id
    assert made.list.processing_type == "MANUAL"
    found = lists.lists_api.get_by_name(list_name="AW champions", object_type_id="0-1")
    assert found.list.list_id == list_id

    added = lists.memberships_api.add(
        list_id, [ids["ada@example.com"], ids["alan@example.com"], "9"]
    )
    assert sorted(added.records_ids_added) == sorted(ids.values())
    assert added.record_ids_missing == ["9"]
    removed = lists.memberships_api.remove(list_id, [ids["alan@example.com"]])
    assert removed.record_ids_removed == [ids["alan@example.com"]]
    both = lists.memberships_api.add_and_remove(
        list_id,
        MembershipChangeRequest(
            record_ids_to_add=[ids["alan@example.com"]],
            record_ids_to_remove=[ids["ada@example.com"]],
        ),
    )
    assert (both.records_ids_added, both.record_ids_removed) == (
        [ids["alan@example.com"]],
        [ids["ada@example.com"]],
    )
    page = lists.memberships_api.get_page(list_id, limit=250)
    assert [m.record_id for m in page.results] == [ids["alan@example.com"]]

    state = sandbox.state()
    by_email = contacts_by_email(sandbox)
    assert by_email["ada@example.com"]["properties"]["firstname"] == "Augusta"
    assert by_email["ada@example.com"]["properties"]["aw_segment"] == "champions"
    assert by_email["alan@example.com"]["properties"]["lifecyclestage"] == "lead"
    assert [(lst["name"], lst["memberIds"]) for lst in state["lists"]] == [
        ("AW champions", [ids["alan@example.com"]])
    ]
    assert "aw_segment" in {p["name"] for p in state["properties"]}


def test_sdk_parses_partial_failures(sandbox: HubSpotSandbox) -> None:
    batch = sdk(sandbox).crm.contacts.batch_api
    reply = batch.upsert(
        BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                upsert_input("ok@example.com", firstname="Ok"),
                upsert_input("not-an-email", firstname="Bad"),
                upsert_input("ghost@example.com", no_such_property="x"),
            ]
        )
    )
    assert reply.num_errors == 2
    assert [r.properties["email"] for r in reply.results] == ["ok@example.com"]
    codes = sorted(e.errors[0].code for e in reply.errors)
    assert codes == ["INVALID_EMAIL", "PROPERTY_DOESNT_EXIST"]
    assert all(e.category == "VALIDATION_ERROR" for e in reply.errors)
    assert set(contacts_by_email(sandbox)) == {"ok@example.com"}

    read = batch.read(
        BatchReadInputSimplePublicObjectId(
            inputs=[
                SimplePublicObjectId(id=reply.results[0].id),
                SimplePublicObjectId(id="424242"),
            ],
            properties=["email"],
            properties_with_history=[],
        )
    )
    assert read.num_errors == 1
    assert read.errors[0].context == {"ids": ["424242"]}


def test_sdk_raises_for_error_statuses(sandbox: HubSpotSandbox) -> None:
    core = sdk(sandbox).crm.properties.core_api
    duplicate = PropertyCreate(
        name="email",
        label="Email",
        type="string",
        field_type="text",
        group_name="contactinformation",
    )
    with pytest.raises(PropertiesApiException) as conflict:
        core.create("contacts", duplicate)
    assert conflict.value.status == 409
    with pytest.raises(PropertiesApiException) as missing:
        core.get_by_name("contacts", "no_such_property")
    assert missing.value.status == 404


# --- raw HTTP: limits, validation, errors ----------------------------------------------------


def test_more_than_100_inputs_is_refused(sandbox: HubSpotSandbox) -> None:
    emails = [f"user{i}@example.com" for i in range(101)]
    response = call(sandbox, "POST", UPSERT, upsert_body(*emails))
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("The maximum number of inputs supported in a batch is 100.")
    assert body["category"] == "VALIDATION_ERROR"
    assert body["status"] == "error" and body["correlationId"]
    assert sandbox.state()["contacts"] == []
    assert call(sandbox, "POST", UPSERT, upsert_body(*emails[:100])).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", UPSERT, {"idProperty": "email", "inputs": [{"id": "a@b.co", "properties": {}}]}),
        ("POST", UPSERT, {"inputs": [{"id": "a@b.co", "idProperty": "email"}]}),
        ("POST", UPSERT, {"inputs": [{"id": "a@b.co", "idProperty": "email", "properties": []}]}),
        ("POST", "/crm/v3/objects/contacts/batch/read", {"inputs": [{"email": "a@b.co"}]}),
        ("POST", "/crm/v3/properties/contacts", {"name": "x", "label": "X", "type": "text"}),
        ("POST", "/crm/v3/lists", {"name": "L", "objectTypeId": "0-1"}),
        ("POST", "/crm/v3/lists", {"name": "L", "objectTypeId": "0-1", "processingType": "STATIC"}),
    ],
)
def test_invalid_bodies_are_validation_errors(
    sandbox: HubSpotSandbox, method: str, path: str, body: Any
) -> None:
    response = call(sandbox, method, path, body)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert response.json()["message"].startswith("Invalid input JSON")


def test_malformed_json_and_membership_body_are_validation_errors(sandbox: HubSpotSandbox) -> None:
    broken = requests.post(
        sandbox.base_url + UPSERT,
        data=b'{"inputs": [',
        headers={**sandbox.auth_headers, "Content-Type": "application/json"},
        timeout=10,
    )
    assert broken.status_code == 400
    assert broken.json()["message"].startswith("Invalid input JSON on line 1")
    list_id = call(
        sandbox,
        "POST",
        "/crm/v3/lists",
        {"name": "M", "objectTypeId": "0-1", "processingType": "MANUAL"},
    ).json()["list"]["listId"]
    wrapped = call(sandbox, "PUT", f"/crm/v3/lists/{list_id}/memberships/add", {"ids": ["1"]})
    assert wrapped.status_code == 400
    assert wrapped.json()["category"] == "VALIDATION_ERROR"


def test_duplicate_ids_in_one_batch_are_refused(sandbox: HubSpotSandbox) -> None:
    response = call(sandbox, "POST", UPSERT, upsert_body("a@example.com", "A@example.com"))
    assert response.status_code == 400
    assert "Duplicate IDs" in response.json()["message"]


def test_property_conflicts_and_lookups(sandbox: HubSpotSandbox) -> None:
    body = {
        "name": "aw_score",
        "label": "Score",
        "type": "number",
        "fieldType": "number",
        "groupName": "contactinformation",
    }
    created = call(sandbox, "POST", "/crm/v3/properties/contacts", body)
    assert created.status_code == 201
    assert created.headers["Location"] == f"{sandbox.base_url}/crm/v3/properties/contacts/aw_score"
    again = call(sandbox, "POST", "/crm/v3/properties/contacts", body)
    assert again.status_code == 409
    assert again.json()["category"] == "OBJECT_ALREADY_EXISTS"
    assert call(sandbox, "GET", "/crm/v3/properties/contacts/aw_score").json()["type"] == "number"
    assert call(sandbox, "GET", "/crm/v3/properties/contacts/nope").status_code == 404
    mismatched = {**body, "name": "aw_other", "fieldType": "select"}
    assert call(sandbox, "POST", "/crm/v3/properties/contacts", mismatched).status_code == 400


def test_list_names_are_unique_and_findable(sandbox: HubSpotSandbox) -> None:
    body = {"name": "Churn risk", "objectTypeId": "0-1", "processingType": "MANUAL"}
    first = call(sandbox, "POST", "/crm/v3/lists", body)
    assert first.status_code == 200
    assert set(first.json()["list"]) >= {
        "listId",
        "listVersion",
        "name",
        "objectTypeId",
        "processingStatus",
        "processingType",
    }
    duplicate = call(sandbox, "POST", "/crm/v3/lists", body)
    assert duplicate.status_code == 400
    assert duplicate.json()["subCategory"] == "ILS.DUPLICATE_LIST_NAMES"
    found = call(sandbox, "GET", "/crm/v3/lists/object-type-id/0-1/name/Churn%20risk")
    assert found.json()["list"]["listId"] == first.json()["list"]["listId"]
    assert call(sandbox, "GET", "/crm/v3/lists/object-type-id/0-1/name/Other").status_code == 404


def test_dynamic_lists_refuse_membership_writes(sandbox: HubSpotSandbox) -> None:
    contact_id = call(sandbox, "POST", UPSERT, upsert_body("d@example.com")).json()["results"][0][
        "id"
    ]
    dynamic = {
        "name": "Dynamic",
        "objectTypeId": "0-1",
        "processingType": "DYNAMIC",
        "filterBranch": {"filterBranchType": "OR", "filterBranches": [], "filters": []},
    }
    list_id = call(sandbox, "POST", "/crm/v3/lists", dynamic).json()["list"]["listId"]
    for suffix, body in [
        ("add", [contact_id]),
        ("remove", [contact_id]),
        ("add-and-remove", {"recordIdsToAdd": [contact_id], "recordIdsToRemove": []}),
    ]:
        response = call(sandbox, "PUT", f"/crm/v3/lists/{list_id}/memberships/{suffix}", body)
        assert response.status_code == 400, suffix
        assert response.json()["category"] == "VALIDATION_ERROR"
    assert sandbox.state()["lists"][0]["memberIds"] == []


def test_memberships_page_with_cursor(sandbox: HubSpotSandbox) -> None:
    ids = []
    for start in range(0, 260, 100):
        emails = [f"m{i}@example.com" for i in range(start, min(start + 100, 260))]
        ids += [
            r["id"] for r in call(sandbox, "POST", UPSERT, upsert_body(*emails)).json()["results"]
        ]
    list_body = {"name": "Big", "objectTypeId": "0-1", "processingType": "SNAPSHOT"}
    list_id = call(sandbox, "POST", "/crm/v3/lists", list_body).json()["list"]["listId"]
    added = call(sandbox, "PUT", f"/crm/v3/lists/{list_id}/memberships/add", ids).json()
    assert len(added["recordsIdsAdded"]) == 260 and added["recordIdsMissing"] == []

    path = f"/crm/v3/lists/{list_id}/memberships"
    first = call(sandbox, "GET", path, params={"limit": 250}).json()
    assert first["total"] == 260 and len(first["results"]) == 250
    assert set(first["results"][0]) == {"recordId", "membershipTimestamp"}
    after = first["paging"]["next"]["after"]
    second = call(sandbox, "GET", path, params={"limit": 250, "after": after}).json()
    assert len(second["results"]) == 10 and "paging" not in second
    seen = [m["recordId"] for m in first["results"] + second["results"]]
    assert sorted(seen, key=int) == sorted(ids, key=int)
    assert call(sandbox, "GET", path, params={"limit": 251}).status_code == 400


def test_missing_or_wrong_token_is_401(sandbox: HubSpotSandbox) -> None:
    for token in (None, "wrong-token"):
        response = call(sandbox, "POST", UPSERT, upsert_body("a@example.com"), token=token)
        assert response.status_code == 401
        body = response.json()
        assert body["status"] == "error" and body["category"] == "INVALID_AUTHENTICATION"
        assert body["correlationId"]
    assert sandbox.state()["contacts"] == []


def test_unknown_route_is_json_404(sandbox: HubSpotSandbox) -> None:
    response = call(sandbox, "GET", "/crm/v3/objects/widgets")
    assert response.status_code == 404
    assert response.json()["status"] == "error"


def test_ten_second_limit_answers_429(sandbox: HubSpotSandbox) -> None:
    sandbox.configure(rate_limit=(5, 10.0))
    remaining = []
    for _ in range(5):
        response = call(sandbox, "GET", "/crm/v3/properties/contacts/email")
        assert response.status_code == 200
        remaining.append(int(response.headers["X-HubSpot-RateLimit-Remaining"]))
    assert remaining == [4, 3, 2, 1, 0]
    refused = call(sandbox, "GET", "/crm/v3/properties/contacts/email")
    assert refused.status_code == 429
    assert refused.json() == {
        "status": "error",
        "message": "You have reached your ten_secondly_rolling limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": refused.json()["correlationId"],
        "policyName": "TEN_SECONDLY_ROLLING",
    }
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["X-HubSpot-RateLimit-Max"] == "5"
    assert refused.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert refused.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"


def test_daily_limit_answers_429(sandbox: HubSpotSandbox) -> None:
    sandbox.configure(daily_limit=2)
    for expected_left in ("1", "0"):
        ok = call(sandbox, "GET", "/crm/v3/properties/contacts/email")
        assert ok.headers["X-HubSpot-RateLimit-Daily-Remaining"] == expected_left
    refused = call(sandbox, "GET", "/crm/v3/properties/contacts/email")
    assert refused.status_code == 429
    assert refused.json()["policyName"] == "DAILY"
    assert refused.headers["X-HubSpot-RateLimit-Daily"] == "2"
    assert int(refused.headers["Retry-After"]) >= 1


def test_rate_limit_headers_on_every_response(sandbox: HubSpotSandbox) -> None:
    responses = [
        call(sandbox, "POST", UPSERT, upsert_body("h@example.com")),  # 200
        call(sandbox, "POST", UPSERT, {"bad": True}),  # 400
        call(sandbox, "GET", "/crm/v3/properties/contacts/nope"),  # 404
        call(sandbox, "GET", "/nowhere"),  # 404 route
        call(sandbox, "GET", "/crm/v3/lists/1", token="wrong"),  # 401
    ]
    sandbox.configure(faults=FaultConfig(rate_500=1.0))
    responses.append(call(sandbox, "GET", "/crm/v3/properties/contacts/email"))  # 500
    sandbox.configure(faults=FaultConfig(), rate_limit=(1, 10.0))
    responses.append(call(sandbox, "GET", "/crm/v3/properties/contacts/email"))  # 200
    responses.append(call(sandbox, "GET", "/crm/v3/properties/contacts/email"))  # 429
    statuses = [r.status_code for r in responses]
    assert statuses == [200, 400, 404, 404, 401, 500, 200, 429]
    for response in responses:
        missing = [h for h in RATE_HEADERS if h not in response.headers]
        assert not missing, (response.status_code, missing)


# --- fault injection -------------------------------------------------------------------------


def test_injected_429_bursts(sandbox: HubSpotSandbox) -> None:
    sandbox.configure(faults=FaultConfig(rate_429=1.0, burst_length=3, retry_after_seconds=2))
    responses = [call(sandbox, "POST", UPSERT, upsert_body("t@example.com")) for _ in range(4)]
    assert [r.status_code for r in responses] == [429] * 4
    assert all(r.headers["Retry-After"] == "2" for r in responses)
    assert responses[0].json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert responses[0].headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert sandbox.state()["contacts"] == []
    faults = [c["fault"] for c in sandbox.calls()["calls"]]
    assert faults == ["429_burst"] * 4

    sandbox.configure(faults=FaultConfig(rate_429=0.3, burst_length=3), seed=5)
    statuses = [
        call(sandbox, "GET", "/crm/v3/properties/contacts/email").status_code for _ in range(30)
    ]
    assert 429 in statuses and 200 in statuses, statuses
    runs, current = [], 0
    for status in statuses:
        if status == 429:
            current += 1
        elif current:
            runs.append(current)  # bursts may chain, but each lasts exactly 3 requests
            current = 0
    assert all(length % 3 == 0 for length in runs), statuses


@pytest.mark.parametrize("status", [500, 502, 503])
def test_injected_server_errors_change_nothing(sandbox: HubSpotSandbox, status: int) -> None:
    sandbox.configure(faults=FaultConfig(**{f"rate_{status}": 1.0}))
    response = call(sandbox, "POST", UPSERT, upsert_body("e@example.com"))
    assert response.status_code == status
    if status != 502:  # a gateway answers with its own HTML page
        assert response.json()["status"] == "error"
    assert sandbox.state()["contacts"] == []
    assert sandbox.calls()["calls"][-1]["applied"] is False


def test_slow_responses(sandbox: HubSpotSandbox) -> None:
    sandbox.configure(faults=FaultConfig(rate_slow=1.0, slow_seconds=0.3))
    started = time.monotonic()
    response = call(sandbox, "POST", UPSERT, upsert_body("s@example.com"))
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200
    assert set(contacts_by_email(sandbox)) == {"s@example.com"}


def test_drop_before_apply_leaves_no_trace(sandbox: HubSpotSandbox) -> None:
    sandbox.configure(faults=FaultConfig(rate_drop_before=1.0))
    with pytest.raises(requests.ConnectionError):
        call(sandbox, "POST", UPSERT, upsert_body("b@example.com"))
    assert sandbox.state()["contacts"] == []
    last = sandbox.calls()["calls"][-1]
    assert (last["status"], last["fault"], last["applied"]) == (None, "drop_before", False)


def test_drop_after_apply_keeps_the_write(sandbox: HubSpotSandbox) -> None:
    sandbox.configure(faults=FaultConfig(rate_drop_after=1.0))
    with pytest.raises(requests.ConnectionError):
        call(sandbox, "POST", UPSERT, upsert_body("a@example.com", firstname="A"))
    assert contacts_by_email(sandbox)["a@example.com"]["properties"]["firstname"] == "A"
    last = sandbox.calls()["calls"][-1]
    assert (last["status"], last["fault"], last["applied"]) == (None, "drop_after", True)
    # a retry of the same upsert updates the same record: no duplicate
    sandbox.configure(faults=FaultConfig())
    retry = call(sandbox, "POST", UPSERT, upsert_body("a@example.com", firstname="A"))
    assert retry.json()["results"][0]["new"] is False
    assert len(sandbox.state()["contacts"]) == 1


def test_injected_partial_failures(sandbox: HubSpotSandbox) -> None:
    sandbox.configure(faults=FaultConfig(rate_partial=1.0, partial_share=0.5))
    emails = [f"p{i}@example.com" for i in range(4)]
    response = call(sandbox, "POST", UPSERT, upsert_body(*emails))
    assert response.status_code == 207
    body = response.json()
    assert body["numErrors"] == 2 and len(body["errors"]) == 2 and len(body["results"]) == 2
    for error in body["errors"]:
        assert error["status"] == "error" and error["category"] == "VALIDATION_ERROR"
        assert error["errors"][0]["code"] == "INVALID_EMAIL"
        assert set(error) >= {"message", "context", "errors"}
    for result in body["results"]:
        assert set(result) >= {"id", "new", "archived", "createdAt", "updatedAt", "properties"}
    failed = {e["context"]["ids"][0] for e in body["errors"]}
    assert set(contacts_by_email(sandbox)) == set(emails) - failed


def test_faults_are_deterministic_given_the_seed() -> None:
    def statuses(seed: int) -> list[int]:
        faults = FaultConfig(rate_500=0.3, rate_503=0.2)
        with HubSpotSandbox(port=0, token=TOKEN, faults=faults, seed=seed) as running:
            return [
                call(running, "GET", "/crm/v3/properties/contacts/email").status_code
                for _ in range(25)
            ]

    first = statuses(11)
    assert first == statuses(11)
    assert {500, 200} <= set(first)


def test_faults_can_target_paths(sandbox: HubSpotSandbox) -> None:
    sandbox.configure(faults=FaultConfig(rate_503=1.0, paths=("/crm/v3/lists",)))
    assert call(sandbox, "POST", UPSERT, upsert_body("x@example.com")).status_code == 200
    list_body = {"name": "L", "objectTypeId": "0-1", "processingType": "MANUAL"}
    assert call(sandbox, "POST", "/crm/v3/lists", list_body).status_code == 503


# --- the test API and the command line -------------------------------------------------------


def test_admin_api_over_http(sandbox: HubSpotSandbox) -> None:
    base = sandbox.base_url + "/__sandbox"
    config = requests.post(
        f"{base}/config",
        json={"rateLimit": {"maxRequests": 7, "intervalSeconds": 10}, "faults": {"rate_502": 0.0}},
        timeout=10,
    ).json()
    assert config["rateLimit"]["maxRequests"] == 7
    bad = requests.post(f"{base}/config", json={"faults": {"rate_500": 2}}, timeout=10)
    assert bad.status_code == 400 and bad.json()["category"] == "VALIDATION_ERROR"

    call(sandbox, "POST", UPSERT, upsert_body("z@example.com"))
    state = requests.get(f"{base}/state", timeout=10).json()
    assert [c["properties"]["email"] for c in state["contacts"]] == ["z@example.com"]
    calls = requests.get(f"{base}/calls", timeout=10).json()
    assert calls["countsByEndpoint"] == {f"POST {UPSERT}": 1}
    assert calls["calls"][0]["write"] is True and calls["calls"][0]["status"] == 200

    assert requests.post(f"{base}/reset", timeout=10).status_code == 200
    assert requests.get(f"{base}/state", timeout=10).json()["contacts"] == []
    assert requests.get(f"{base}/calls", timeout=10).json()["total"] == 0


def test_command_line_serves() -> None:
    command = [sys.executable, "-m", "audience_warehouse.sandboxes.hubspot", "--port", "0"]
    with subprocess.Popen(
        [*command, "--token", "demo"], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("HubSpot sandbox listening on http://127.0.0.1:")
            url = line.rsplit(" ", 1)[1].strip()
            response = requests.get(
                f"{url}/crm/v3/properties/contacts/email",
                headers={"Authorization": "Bearer demo"},
                timeout=10,
            )
            assert response.status_code == 200
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert process.returncode == 0  # SIGTERM stops it cleanly


# --- concurrency and the limiter's clock ------------------------------------------------------


def test_concurrent_upserts_never_duplicate_contacts(sandbox: HubSpotSandbox) -> None:
    emails = [f"c{i}@example.com" for i in range(50)]

    def send() -> int:
        return call(sandbox, "POST", UPSERT, upsert_body(*emails, firstname="C")).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: send(), range(8)))
    assert statuses == [200] * 8
    contacts = sandbox.state()["contacts"]
    assert len(contacts) == 50
    assert len({c["id"] for c in contacts}) == 50


def test_token_bucket_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(RateLimitConfig(2, 10.0, 100), clock=lambda: now[0])
    assert [limiter.acquire("t").allowed for _ in range(3)] == [True, True, False]
    refused = limiter.acquire("t")
    assert (refused.policy, refused.retry_after) == ("TEN_SECONDLY_ROLLING", 5)
    now[0] = 5.0
    assert limiter.acquire("t").allowed
    assert limiter.acquire("other-token").allowed  # buckets are per access token
