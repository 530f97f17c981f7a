"""End to end: sync models to the Salesforce sandbox (TLS, OAuth) through simple-salesforce."""

from __future__ import annotations

import duckdb
import pytest

from audience_warehouse.sandboxes.salesforce import FaultConfig, SalesforceSandbox
from audience_warehouse.sync.destinations.salesforce import SalesforceContacts
from audience_warehouse.sync.engine import SyncConfig, run_sync
from audience_warehouse.sync.retry import RetryPolicy

SYNC = "sync_salesforce_contacts"


@pytest.fixture
def sandbox() -> SalesforceSandbox:
    with SalesforceSandbox(port=0, client_id="id", client_secret="secret", seed=5) as running:
        yield running


def destination(sandbox: SalesforceSandbox) -> SalesforceContacts:
    return SalesforceContacts(
        login_url=sandbox.instance_url,
        client_id="id",
        client_secret="secret",
        ca_bundle=str(sandbox.ca_path),
        rate_limit=(10_000, 1.0),
    )


def sync(connection, sandbox: SalesforceSandbox, target: SalesforceContacts | None = None):
    retry = RetryPolicy(max_attempts=30, base_delay=0.01, max_delay=0.05)
    return run_sync(connection, SyncConfig(SYNC), target or destination(sandbox), retry=retry)


def intended(connection) -> dict[str, str]:
    return dict(connection.execute(f"select record_key, segments from {SYNC}").fetchall())


def held(sandbox: SalesforceSandbox) -> dict[str, str]:
    return {
        record["Email__c"]: record.get("Audience_Segments__c") or ""
        for record in sandbox.state()["Contact"]
    }


def test_sync_reaches_salesforce_and_a_second_run_calls_nothing(warehouse, sandbox) -> None:
    first = sync(warehouse, sandbox)
    assert first.status == "succeeded" and first.added == len(intended(warehouse)) > 20
    assert held(sandbox) == intended(warehouse)
    record = sandbox.state()["Contact"][0]
    assert record["Customer_Tier__c"] in {"ready", "evaluating", "researching", "dormant"}
    second = sync(warehouse, sandbox)
    assert (second.added, second.changed, second.api_calls) == (0, 0, 0)


def test_a_contact_leaving_every_segment_is_cleared(warehouse, sandbox) -> None:
    sync(warehouse, sandbox)
    key = warehouse.execute(f"select min(record_key) from {SYNC}").fetchone()[0]
    warehouse.execute(f"delete from {SYNC} where record_key = ?", [key])
    result = sync(warehouse, sandbox)
    assert result.removed == 1
    assert held(sandbox)[key] == ""


def test_faults_at_20_percent_converge(warehouse, sandbox) -> None:
    sandbox.configure(
        faults=FaultConfig(
            error_503_rate=0.05,
            error_500_rate=0.03,
            drop_before_rate=0.04,
            drop_after_rate=0.04,
            limit_burst_rate=0.04,
            limit_burst_length=1,
        )
    )
    target = destination(sandbox)
    target.bucket.drain = lambda: None  # the test does not wait out a real limit window
    result = sync(warehouse, sandbox, target)
    assert result.status == "succeeded"
    sandbox.configure(faults=FaultConfig())
    assert held(sandbox) == intended(warehouse)
    assert len(sandbox.state()["Contact"]) == len(intended(warehouse))


def test_rejected_records_are_recorded_with_the_api_reason(warehouse, sandbox) -> None:
    warehouse.execute(
        f"update {SYNC} set LastName = null where record_key = (select min(record_key) from {SYNC})"
    )
    result = sync(warehouse, sandbox)
    assert result.rejected == 1
    reason = warehouse.execute("select reason from reverse_etl.sync_rejections").fetchone()[0]
    assert reason.startswith("REQUIRED_FIELD_MISSING")


def test_large_diffs_go_through_bulk_api_2(tmp_path, sandbox) -> None:
    connection = duckdb.connect(str(tmp_path / "bulk.duckdb"))
    connection.execute(
        f"""
        create table {SYNC} as
        select
            'person' || i || '@example.com' as record_key,
            'u' || i as contact_ids,
            'Pat' as FirstName,
            case when i % 50 = 0 then null else 'Lee' end as LastName,
            i * 1.5 as Lifetime_Value__c,
            'a;b' as segments
        from range(600) as t(i)
        """
    )
    target = destination(sandbox)
    target.bulk_threshold = 100  # 600 records: one Bulk API 2.0 job instead of 3 calls
    result = sync(connection, sandbox, target)
    assert (result.added, result.rejected) == (588, 12)
    calls = sandbox.calls()["counts"]
    assert calls.get("bulk_upload") == 1 and "collections_upsert" not in calls, calls
    assert len(sandbox.state()["Contact"]) == 588
    connection.close()


@pytest.mark.parametrize("mode", ["create_only", "update_only"])
def test_create_only_and_update_only(warehouse, sandbox, mode: str) -> None:
    keys = [key for (key,) in warehouse.execute(f"select record_key from {SYNC}").fetchall()]
    retry = RetryPolicy(max_attempts=5, base_delay=0.01, max_delay=0.05)
    result = run_sync(warehouse, SyncConfig(SYNC, mode), destination(sandbox), retry=retry)
    expected = len(keys) if mode == "create_only" else 0
    assert len(sandbox.state()["Contact"]) == expected
    assert result.rejected == len(keys) - expected
