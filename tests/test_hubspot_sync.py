"""End to end: the dbt-built sync model to the HubSpot sandbox through the official SDK."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest

from audience_warehouse.sandboxes.hubspot import FaultConfig, HubSpotSandbox
from audience_warehouse.sync.destinations.hubspot import HubSpotContacts
from audience_warehouse.sync.engine import SyncConfig, run_sync
from audience_warehouse.sync.retry import RetryPolicy

SYNC = "sync_hubspot_contacts"
TOKEN = "test-token"


@pytest.fixture
def sandbox() -> HubSpotSandbox:
    with HubSpotSandbox(port=0, token=TOKEN, rate_limit=(10_000, 10.0), seed=3) as running:
        yield running


def quick_retries() -> RetryPolicy:
    return RetryPolicy(max_attempts=30, base_delay=0.01, max_delay=0.05)


def sync(connection, sandbox: HubSpotSandbox):
    destination = HubSpotContacts(access_token=TOKEN, host=sandbox.base_url)
    return run_sync(connection, SyncConfig(SYNC), destination, retry=quick_retries())


def intended(connection) -> dict[str, set[str]]:
    rows = connection.execute(f"select record_key, segments from {SYNC}").fetchall()
    return {key: set(filter(None, segments.split(";"))) for key, segments in rows}


def held(sandbox: HubSpotSandbox) -> dict[str, set[str]]:
    state = sandbox.state()
    email_by_id = {str(c["id"]): c["properties"]["email"] for c in state["contacts"]}
    segments: dict[str, set[str]] = {email: set() for email in email_by_id.values()}
    for listed in state["lists"]:
        segment = listed["name"].removeprefix("Audience Warehouse: ")
        for member in listed.get("memberIds", []):
            segments[email_by_id[str(member)]].add(segment)
    return segments


def write_calls(sandbox: HubSpotSandbox) -> int:
    return sum(1 for call in sandbox.calls()["calls"] if call["write"])


def test_sync_reaches_hubspot_and_a_second_run_writes_nothing(warehouse, sandbox) -> None:
    first = sync(warehouse, sandbox)
    assert first.status == "succeeded" and first.added == len(intended(warehouse)) > 50
    assert held(sandbox) == intended(warehouse)
    contact = next(c for c in sandbox.state()["contacts"] if c["properties"].get("aw_intent_stage"))
    assert contact["properties"]["aw_intent_stage"] in {
        "ready",
        "evaluating",
        "researching",
        "dormant",
    }

    before = write_calls(sandbox)
    second = sync(warehouse, sandbox)
    assert (second.added, second.changed, second.removed, second.api_calls) == (0, 0, 0, 0)
    assert write_calls(sandbox) == before


def test_a_changed_feature_sends_exactly_that_record(warehouse, sandbox) -> None:
    sync(warehouse, sandbox)
    key = warehouse.execute(f"select min(record_key) from {SYNC}").fetchone()[0]
    warehouse.execute(
        f"update {SYNC} set aw_pricing_page_views_7d = 99 where record_key = ?", [key]
    )
    writes = write_calls(sandbox)
    result = sync(warehouse, sandbox)
    # one read of the existing properties, one upsert of that one record
    assert (result.added, result.changed, result.api_calls) == (0, 1, 2)
    assert write_calls(sandbox) == writes + 1
    contact = next(c for c in sandbox.state()["contacts"] if c["properties"]["email"] == key)
    assert contact["properties"]["aw_pricing_page_views_7d"] == "99"


def test_a_contact_leaving_a_segment_leaves_its_list(warehouse, sandbox) -> None:
    sync(warehouse, sandbox)
    key, segments = warehouse.execute(
        f"select record_key, segments from {SYNC} where segments like '%;%' limit 1"
    ).fetchone()
    kept = segments.split(";")[1:]
    warehouse.execute(f"update {SYNC} set segments = ? where record_key = ?", [";".join(kept), key])
    gone = warehouse.execute(f"select min(record_key) from {SYNC} where record_key <> ?", [key])
    gone_key = gone.fetchone()[0]
    warehouse.execute(f"delete from {SYNC} where record_key = ?", [gone_key])
    result = sync(warehouse, sandbox)
    assert (result.changed, result.removed) == (1, 1)
    assert held(sandbox)[key] == set(kept)
    assert held(sandbox)[gone_key] == set()


def test_faults_at_20_percent_converge_to_the_exact_state(warehouse, sandbox) -> None:
    sandbox.configure(
        faults=FaultConfig(
            rate_429=0.04,
            burst_length=2,
            retry_after_seconds=0,
            rate_503=0.04,
            rate_500=0.02,
            rate_slow=0.02,
            slow_seconds=0.05,
            rate_drop_before=0.04,
            rate_drop_after=0.04,
        )
    )
    result = sync(warehouse, sandbox)
    assert result.status == "succeeded"
    sandbox.configure(faults=FaultConfig())
    assert held(sandbox) == intended(warehouse)
    emails = [c["properties"]["email"] for c in sandbox.state()["contacts"]]
    assert len(emails) == len(set(emails)) == len(intended(warehouse))


def test_partial_failures_are_recorded_with_reasons_and_retried(warehouse, sandbox) -> None:
    sandbox.configure(faults=FaultConfig(rate_partial=1.0, partial_share=0.1))
    first = sync(warehouse, sandbox)
    assert first.rejected > 0
    reasons = warehouse.execute(
        "select distinct reason from reverse_etl.sync_rejections"
    ).fetchall()
    assert reasons and all(reason for (reason,) in reasons)
    sandbox.configure(faults=FaultConfig())
    second = sync(warehouse, sandbox)
    assert second.added == first.rejected and second.rejected == 0
    assert held(sandbox) == intended(warehouse)


def test_a_killed_sync_process_resumes_without_duplicates(warehouse, sandbox, tmp_path) -> None:
    warehouse.close()
    path = tmp_path / "warehouse.duckdb"
    upserts = "/crm/v3/objects/contacts/batch/upsert"
    # every upsert takes 3 s, so the process can be killed while its upserts are in flight
    sandbox.configure(faults=FaultConfig(rate_slow=1.0, slow_seconds=3.0, paths=[upserts]))
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(path),
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "HUBSPOT_HOST": sandbox.base_url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "audience_warehouse.sync", SYNC],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    # The sandbox logs a call when it answers it, and up to 4 upserts go out at once, so
    # wait for the setup calls (properties, lists) before the upserts, not for an upsert.
    while sandbox.calls()["total"] < 1:
        assert time.monotonic() < deadline and process.poll() is None, "sync ended too soon"
        time.sleep(0.02)
    time.sleep(1.5)  # setup done, the diff computed, the first upserts in flight
    assert sandbox.calls()["countsByEndpoint"].get(f"POST {upserts}", 0) == 0
    assert process.poll() is None, "sync ended before it could be killed"
    process.kill()
    process.wait(timeout=10)
    sandbox.configure(faults=FaultConfig())
    connection = duckdb.connect(str(path))
    try:
        result = sync(connection, sandbox)
        assert result.status == "succeeded"
        assert held(sandbox) == intended(connection)
        emails = [c["properties"]["email"] for c in sandbox.state()["contacts"]]
        assert len(emails) == len(set(emails))
    finally:
        connection.close()


def test_dry_run_prints_the_plan_and_calls_nothing(warehouse, sandbox, capsys) -> None:
    destination = HubSpotContacts(access_token=TOKEN, host=sandbox.base_url)
    result = run_sync(warehouse, SyncConfig(SYNC), destination, dry_run=True)
    assert (result.status, result.api_calls, sandbox.calls()["total"]) == ("dry_run", 0, 0)
    output = capsys.readouterr().out
    assert f"{len(intended(warehouse))} to add" in output
    assert "of the daily quota of 250,000" in output


def test_the_sync_command_refuses_a_back_test(sandbox, tmp_path, monkeypatch, capsys) -> None:
    """contact_features built at an as_of before the latest recorded run: exit 2, no call;
    a dry run says so and still only prints the plan."""
    from audience_warehouse.sync.__main__ import main

    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            f"create table {SYNC} as select 'a@x.com' as record_key, '' as contact_ids, "
            "'' as segments"
        )
        connection.execute(
            "create table contact_features as select timestamp '2026-10-01' as as_of"
        )
        connection.execute("create table segment_runs as select timestamp '2026-11-19' as as_of")
    monkeypatch.setenv("WAREHOUSE_PATH", str(path))
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("HUBSPOT_HOST", sandbox.base_url)
    assert main([SYNC]) == 2
    assert "not run: the warehouse holds a back-test" in capsys.readouterr().out
    assert main([SYNC, "--dry-run"]) == 0
    assert "dry run only, the warehouse holds a back-test" in capsys.readouterr().out
    assert sandbox.calls()["total"] == 0
