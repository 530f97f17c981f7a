"""The Dagster orchestration: definitions, groups, lineage, the health gate, a full run."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from audience_warehouse import demo_data
from audience_warehouse.dbt_runner import run_dbt
from audience_warehouse.sandboxes.hubspot import HubSpotSandbox
from audience_warehouse.sandboxes.salesforce import SalesforceSandbox
from audience_warehouse.settings import Settings
from audience_warehouse.sync.back_test import back_test_reason
from orchestration.syncs.gate import check_segment_health

AS_OF = "2026-11-19T23:00:00Z"


@pytest.fixture(scope="module")
def orchestration():
    """The orchestration modules, imported after `dbt parse` wrote target/manifest.json
    (a fresh clone has none; @dbt_assets reads it at import time)."""
    run_dbt(["parse", "--quiet"], Settings.from_env(), capture=True)
    definitions = importlib.import_module("orchestration.definitions")
    return {
        "defs": definitions.defs,
        "dbt_assets": importlib.import_module("orchestration.dbt.assets"),
        "syncs": importlib.import_module("orchestration.syncs.assets"),
        "resources": importlib.import_module("orchestration.syncs.resources"),
        "sensors": importlib.import_module("orchestration.sensors"),
    }


def test_definitions_load(orchestration) -> None:
    from dagster import Definitions

    defs = orchestration["defs"]
    Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("build_and_sync") is not None
    names = {schedule.name for schedule in defs.schedules}
    assert names == {"build_and_sync_hourly", "build_and_sync_daily"}
    assert {sensor.name for sensor in defs.sensors} == {
        "raw_parquet_sensor",
        "segment_tables_freshness",
    }
    # dbt tests are asset checks (dagster-dbt's default)
    assert len(list(defs.resolve_asset_graph().asset_check_keys)) > 50


def test_segment_tables_have_freshness_checks(orchestration) -> None:
    checks = {
        (key.asset_key.to_user_string(), key.name)
        for key in orchestration["defs"].resolve_asset_graph().asset_check_keys
        if "freshness" in key.name
    }
    tables = {table for table, _ in checks}
    assert {"contact_features", "segment_memberships", "segments", "segment_health"} <= tables


@pytest.mark.parametrize(
    ("model", "group"),
    [
        ("stg_segment__pages", "staging"),
        ("stg_crm__contacts", "staging"),
        ("int_identity_links_rolled_up", "identity"),
        ("int_anonymous_ids_mapped_to_contacts", "identity"),
        ("int_events_unioned", "features"),
        ("int_contact_actions_sessionized", "features"),
        ("contact_features", "features"),
        ("quarantined_events", "features"),
        ("cart_abandoners", "segments"),
        ("segment_health", "segments"),
        ("sync_hubspot_contacts", "syncs"),
    ],
)
def test_asset_groups_follow_folders(orchestration, model: str, group: str) -> None:
    from dagster import AssetKey

    graph = orchestration["defs"].resolve_asset_graph()
    assert graph.get(AssetKey(model)).group_name == group


@pytest.mark.parametrize("sync", ["sync_hubspot_contacts", "sync_salesforce_contacts"])
def test_sync_assets_depend_on_their_sync_models(orchestration, sync: str) -> None:
    from dagster import AssetKey

    graph = orchestration["defs"].resolve_asset_graph()
    node = graph.get(AssetKey(["reverse_etl", sync]))
    assert node.group_name == "reverse_etl"
    assert AssetKey(sync) in node.parent_keys
    assert AssetKey("segment_health") in node.parent_keys


def test_as_of_is_optional(orchestration) -> None:
    module = orchestration["dbt_assets"]
    build = ["build", "--exclude-resource-type", "unit_test"]
    assert module.dbt_build_args(module.DbtBuildConfig()) == build
    assert module.dbt_build_args(module.DbtBuildConfig(as_of=AS_OF)) == [
        *build,
        "--vars",
        '{"as_of": "2026-11-19T23:00:00Z"}',
    ]


def _health_warehouse(path: Path, rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(path))
    connection.execute(
        "create table sync_x as select 'a@x.com' as record_key, 'alpha' as segments, "
        "true as segment__alpha, false as segment__beta"
    )
    connection.execute(
        "create table segment_health (segment_name varchar, as_of timestamp, "
        "is_healthy boolean, problems varchar)"
    )
    connection.executemany("insert into segment_health values (?, ?, ?, ?)", rows)
    return connection


def test_gate_proceeds_when_the_latest_rows_are_healthy(tmp_path: Path) -> None:
    connection = _health_warehouse(
        tmp_path / "w.duckdb",
        [
            ("alpha", "2026-11-18 00:00", False, "members 0 < min 1"),  # older: superseded
            ("alpha", "2026-11-19 00:00", True, ""),
            ("beta", "2026-11-19 00:00", True, ""),
            ("gamma", "2026-11-19 00:00", False, "not carried by this sync"),
        ],
    )
    decision = check_segment_health(connection, "sync_x")
    assert decision.all_healthy and decision.segments == ("alpha", "beta")


def test_gate_holds_back_a_carried_segment_that_is_unhealthy(tmp_path: Path) -> None:
    connection = _health_warehouse(
        tmp_path / "w.duckdb",
        [
            ("alpha", "2026-11-18 00:00", True, ""),
            ("alpha", "2026-11-19 00:00", False, "size changed 80.0% > 50%"),
            ("beta", "2026-11-19 00:00", True, ""),
        ],
    )
    decision = check_segment_health(connection, "sync_x")
    assert not decision.all_healthy
    assert decision.unhealthy == {"alpha": "size changed 80.0% > 50%"}
    assert "alpha" in decision.reason and "held back" in decision.reason


def test_gate_holds_back_a_segment_with_no_health_row(tmp_path: Path) -> None:
    connection = _health_warehouse(tmp_path / "w.duckdb", [("alpha", "2026-11-19", True, "")])
    decision = check_segment_health(connection, "sync_x")
    assert decision.unhealthy == {"beta": "no segment_health row"}


def _record_runs(
    connection: duckdb.DuckDBPyConnection, built_at: str | None, recorded_at: str | None
) -> None:
    """contact_features last built at `built_at`, segment_runs' latest run `recorded_at`."""
    for table, value in (("contact_features", built_at), ("segment_runs", recorded_at)):
        connection.execute(f"create table {table} (as_of timestamp)")
        if value is not None:
            connection.execute(f"insert into {table} values (?)", [value])


@pytest.mark.parametrize(
    ("built_at", "recorded_at", "blocked"),
    [
        ("2026-11-19 23:00", "2026-11-19 23:00", False),  # the latest run
        ("2026-11-20 23:00", "2026-11-19 23:00", False),  # newer: not recorded (yet)
        ("2026-10-01 00:00", "2026-11-19 23:00", True),  # a back-test
        ("2026-10-01 00:00", None, False),  # nothing recorded to compare with
    ],
)
def test_gate_refuses_every_sync_after_a_back_test(
    tmp_path: Path, built_at: str, recorded_at: str | None, blocked: bool
) -> None:
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    _record_runs(connection, built_at, recorded_at)
    reason = back_test_reason(connection)
    assert (reason is not None) == blocked
    if blocked:
        assert "back-test" in reason and "2026-10-01" in reason


def test_gate_lets_a_warehouse_without_runs_through(tmp_path: Path) -> None:
    assert back_test_reason(duckdb.connect(str(tmp_path / "w.duckdb"))) is None


def test_sensor_requests_a_run_only_for_new_files(orchestration, tmp_path, monkeypatch) -> None:
    from dagster import DagsterInstance, RunRequest, build_sensor_context

    from orchestration.build_scope import SCOPE_TAG, BuildInputs

    sensor = orchestration["sensors"].raw_parquet_sensor
    raw = tmp_path / "raw"
    (raw / "pages").mkdir(parents=True)
    monkeypatch.setenv("RAW_DATA_PATH", str(raw))
    with DagsterInstance.ephemeral() as instance:
        empty = sensor(build_sensor_context(instance=instance))
        assert not getattr(empty, "run_requests", None)
        (raw / "pages" / "a.parquet").write_bytes(b"x")
        first = sensor(build_sensor_context(instance=instance))
        assert [type(r) for r in first.run_requests] == [RunRequest]
        # a whole run that records what it read, so a later tick can go time-only
        tags = first.run_requests[0].tags
        assert tags[SCOPE_TAG] == "whole"
        assert BuildInputs.from_tags(tags) == BuildInputs.now(Settings.from_env())
        same = sensor(build_sensor_context(instance=instance, cursor=first.cursor))
        assert not getattr(same, "run_requests", None)
        (raw / "pages" / "b.parquet").write_bytes(b"y")
        second = sensor(build_sensor_context(instance=instance, cursor=first.cursor))
        assert len(second.run_requests) == 1 and second.cursor != first.cursor


def test_only_the_same_raw_files_and_project_make_a_time_only_run(orchestration, tmp_path) -> None:
    from orchestration.build_scope import BuildInputs, scope_for

    project, raw = tmp_path / "project", tmp_path / "raw"
    (project / "models").mkdir(parents=True)
    (project / "models" / "a.sql").write_text("select 1")
    (project / "target").mkdir()
    (raw / "pages").mkdir(parents=True)
    (raw / "pages" / "a.parquet").write_bytes(b"x")
    settings = Settings(project_dir=project, raw_data_path=raw, warehouse_path=tmp_path / "w")
    built = BuildInputs.now(settings)
    assert scope_for(BuildInputs.now(settings), built) == "time_only"
    assert scope_for(BuildInputs.now(settings), None) == "whole"  # no tagged successful run
    (project / "target" / "manifest.json").write_text("{}")  # dbt's output: not a source
    assert scope_for(BuildInputs.now(settings), built) == "time_only"
    (project / "models" / "a.sql").write_text("select 2")
    assert scope_for(BuildInputs.now(settings), built) == "whole"
    built = BuildInputs.now(settings)
    (raw / "pages" / "b.parquet").write_bytes(b"y")
    assert scope_for(BuildInputs.now(settings), built) == "whole"


def _sync_metadata(result, sync: str) -> dict:
    from dagster import AssetKey

    (event,) = [
        m
        for m in result.get_asset_materialization_events()
        if m.asset_key == AssetKey(["reverse_etl", sync])
    ]
    return {key: value.value for key, value in event.materialization.metadata.items()}


def _changed_keys(before: set[tuple], after: set[tuple]) -> set[str]:
    """Record keys (first column) whose row was added, removed or changed."""
    return {row[0] for row in before ^ after}


def test_the_whole_graph_materializes_and_syncs(orchestration, tmp_path, monkeypatch) -> None:
    """The hourly schedule's ticks, each run as the job it requests: the first builds the
    whole project through Dagster, then both syncs to sandboxes started here; the next,
    with no new events, is a time-only run (build_scope): it moves windows without
    starting staging, and the syncs send exactly the records whose rows changed. A new raw
    file makes the tick after it whole again."""
    from dagster import AssetKey, Definitions, build_schedule_context, instance_for_test

    from orchestration.build_scope import SCOPE_TAG
    from orchestration.schedules import build_and_sync_job, hourly_schedule

    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    demo_data.generate(raw, contacts=200, events=20_000, seed=3, end=date(2026, 11, 20))
    monkeypatch.setenv("RAW_DATA_PATH", str(raw))
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    syncs, resources = orchestration["syncs"], orchestration["resources"]
    dbt_module = importlib.import_module("orchestration.dbt.resources")
    assets = [orchestration["dbt_assets"].audience_dbt_assets, *syncs.sync_assets]

    def synced_rows() -> set[tuple]:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            return set(connection.sql("select * from sync_hubspot_contacts").fetchall())

    with (
        HubSpotSandbox(port=0, token="t", rate_limit=(10_000, 10.0), seed=3) as hubspot,
        SalesforceSandbox(port=0, client_id="id", client_secret="s", seed=5) as salesforce,
        instance_for_test() as instance,  # persistent: a schedule context needs its ref
    ):
        run_resources = {
            "dbt": dbt_module.dbt_resource,
            "hubspot": resources.HubSpotResource(access_token="t", host=hubspot.base_url),
            "salesforce": resources.SalesforceResource(
                login_url=salesforce.instance_url,
                client_id="id",
                client_secret="s",
                ca_bundle=str(salesforce.ca_path),
            ),
        }
        job = Definitions(
            assets=assets, jobs=[build_and_sync_job], resources=run_resources
        ).resolve_job_def(build_and_sync_job.name)

        def tick(moment: datetime):
            with build_schedule_context(
                instance=instance, scheduled_execution_time=moment
            ) as context:
                return hourly_schedule(context)

        def run(request):
            result = job.execute_in_process(
                run_config=request.run_config,
                tags=request.tags,
                asset_selection=request.asset_selection,
                instance=instance,
            )
            assert result.success
            return result

        def materialized(result) -> set[str]:
            return {m.asset_key.to_user_string() for m in result.get_asset_materialization_events()}

        first_tick = tick(datetime(2026, 11, 19, 23, tzinfo=UTC))
        assert first_tick.tags[SCOPE_TAG] == "whole" and first_tick.asset_selection is None
        first = run(first_tick)
        assert {"stg_segment__pages", "contact_features"} <= materialized(first)
        for sync in ("sync_hubspot_contacts", "sync_salesforce_contacts"):
            metadata = _sync_metadata(first, sync)
            assert metadata["status"] == "succeeded" and metadata["held_back_segments"] == {}
            assert metadata["added"] > 0 and metadata["rejected"] == 0
        assert len(hubspot.state()["contacts"]) > 0
        assert len(salesforce.state()["Contact"]) > 0

        before = synced_rows()
        second_tick = tick(datetime(2026, 11, 20, 0, tzinfo=UTC))
        assert second_tick.tags[SCOPE_TAG] == "time_only"
        assert AssetKey("stg_segment__pages") not in second_tick.asset_selection
        second = run(second_tick)
        built = materialized(second)
        assert "contact_features" in built and "reverse_etl/sync_hubspot_contacts" in built
        assert not {key for key in built if key.startswith("stg_")}, built
        checked = {e.asset_key.to_user_string() for e in second.get_asset_check_evaluations()}
        assert "contact_features" in checked, "the run's models are tested (dbt tests as checks)"
        assert not {key for key in checked if key.startswith("stg_")}, checked
        changed = _changed_keys(before, synced_rows())
        assert changed, "an hour later with no new events, windows must move some records"
        metadata = _sync_metadata(second, "sync_hubspot_contacts")
        assert metadata["held_back_segments"] == {}
        assert metadata["added"] + metadata["changed"] + metadata["removed"] == len(changed)

        pages = next((raw / "pages").glob("*.parquet"))
        (raw / "pages" / "landed-later.parquet").write_bytes(pages.read_bytes())
        third_tick = tick(datetime(2026, 11, 20, 1, tzinfo=UTC))
        assert third_tick.tags[SCOPE_TAG] == "whole" and third_tick.asset_selection is None
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        runs = connection.execute("select count(*) from segment_runs").fetchone()[0]
    assert runs == 2


def test_schedules_evaluate_windows_at_their_tick(orchestration) -> None:
    from dagster import build_schedule_context, instance_for_test

    from orchestration.schedules import hourly_schedule

    tick = datetime(2026, 11, 20, 7, 15, tzinfo=UTC)
    with (
        instance_for_test() as instance,
        build_schedule_context(instance=instance, scheduled_execution_time=tick) as context,
    ):
        request = hourly_schedule(context)
    assert request.run_config["ops"]["audience_dbt_assets"]["config"]["as_of"] == (
        "2026-11-20T07:15:00Z"
    )


def test_instance_config_queues_warehouse_writers(orchestration, tmp_path) -> None:
    """orchestration/dagster.yaml (what `make dagster` installs) loads, and the job's runs
    carry the tag it limits to one at a time."""
    from dagster import DagsterInstance

    from orchestration.schedules import WAREHOUSE_TAG, build_and_sync_job

    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        (Path(__file__).parents[1] / "orchestration" / "dagster.yaml").read_text()
    )
    with DagsterInstance.from_config(str(home)) as instance:
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
    (key, value) = next(iter(WAREHOUSE_TAG.items()))
    assert {"key": key, "value": value, "limit": 1} in limits
    assert build_and_sync_job.tags == WAREHOUSE_TAG


def test_an_unhealthy_segment_is_held_back_and_no_other(
    orchestration, tmp_path, monkeypatch
) -> None:
    """alpha fails its health checks, beta passes: HubSpot gets beta, alpha stays as it was
    (empty here), and the sync asset's health check fails with the reason."""
    from dagster import materialize

    warehouse = tmp_path / "w.duckdb"
    connection = _health_warehouse(
        warehouse,
        [
            ("alpha", "2026-11-19", False, "members 0 < min 1"),
            ("beta", "2026-11-19", True, ""),
        ],
    )
    connection.execute(
        "create table sync_hubspot_contacts as "
        "select 'only-alpha@x.com' as record_key, 'alpha' as segments, "
        "true as segment__alpha, false as segment__beta union all "
        "select 'both@x.com', 'alpha;beta', true, true"
    )
    connection.close()
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    syncs, resources = orchestration["syncs"], orchestration["resources"]
    with HubSpotSandbox(port=0, token="t", rate_limit=(10_000, 10.0), seed=3) as sandbox:
        hubspot = resources.HubSpotResource(access_token="t", host=sandbox.base_url)
        result = materialize([syncs.sync_hubspot_contacts], resources={"hubspot": hubspot})
        state = sandbox.state()
    assert result.success
    (event,) = result.get_asset_materialization_events()
    metadata = {key: value.value for key, value in event.materialization.metadata.items()}
    assert metadata["held_back_segments"] == {"alpha": "members 0 < min 1"}
    assert (metadata["added"], metadata["status"]) == (1, "succeeded")
    (check,) = result.get_asset_check_evaluations()
    assert check.check_name == "segments_healthy" and not check.passed
    assert "alpha: members 0 < min 1" in check.description
    emails = {contact["properties"]["email"]: contact for contact in state["contacts"]}
    assert set(emails) == {"both@x.com"}  # not created through the held segment alone
    properties = emails["both@x.com"]["properties"]
    assert properties.get("aw_segment_beta") == "true"
    assert properties.get("aw_segment_alpha") in (None, "", "false")
    members = {item["name"]: item.get("memberIds", []) for item in state["lists"]}
    assert [len(ids) for name, ids in members.items() if name.endswith("beta")] == [1]
    # the held segment's list exists (prepare makes every list) and stays as it was: empty
    assert [len(ids) for name, ids in members.items() if name.endswith("alpha")] == [0]


def test_a_sync_after_a_back_test_fails_and_sends_nothing(
    orchestration, tmp_path, monkeypatch
) -> None:
    """A build at an earlier as_of than the latest recorded run left old values in the sync
    model: the sync asset fails with the reason before it calls HubSpot."""
    from dagster import materialize

    warehouse = tmp_path / "w.duckdb"
    connection = _health_warehouse(warehouse, [("alpha", "2026-11-19", True, "")])
    connection.execute(
        "create table sync_hubspot_contacts as select 'a@x.com' as record_key, "
        "'alpha' as segments, true as segment__alpha"
    )
    _record_runs(connection, "2026-10-01 00:00", "2026-11-19 23:00")
    connection.close()
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    syncs, resources = orchestration["syncs"], orchestration["resources"]
    with HubSpotSandbox(port=0, token="t", rate_limit=(10_000, 10.0), seed=3) as sandbox:
        hubspot = resources.HubSpotResource(access_token="t", host=sandbox.base_url)
        result = materialize(
            [syncs.sync_hubspot_contacts], resources={"hubspot": hubspot}, raise_on_error=False
        )
        calls = sandbox.calls()
    assert not result.success
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    assert "back-test" in str(failure.step_failure_data.error)
    assert calls["total"] == 0
