"""The benchmark's figures file (docs/benchmarks.json): runs merge into it, each entry is
stamped with its run, and the report reads it. No dbt: the measured steps are stubbed."""

from __future__ import annotations

import json
import re
import sys
import types
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bench import dbt_steps, machine, project, report, runner
from bench.__main__ import main
from bench.config import BenchConfig, profile_setting
from bench.measure import Measurement, StepFailed, python, run_measured
from bench.results import Results

OLD = {"commit": "0ld0000", "at": "2026-12-01 00:00"}


def _step(label: str, seconds: float, rss: int = 10**9) -> dict[str, Any]:
    return {
        "label": label,
        "seconds": seconds,
        "peak_tree_rss": rss,
        "max_process_rss": rss,
        "returncode": 0,
    }


def _recorded() -> dict[str, Any]:
    """A file as earlier runs left it: two scales, the sync and drt-core."""
    big = {
        "events": 100_000_000,
        "full_build": _step("full build", 1500.0, 5 * 10**9),
        "floor": _step("floor query", 50.0),
        "refresh": _step("incremental refresh", 300.0),
        "time_only": _step("time-only re-evaluation", 200.0),
        "segments_15": _step("15 segments", 54.0),
        "segments_many": _step("100 segments", 180.0),
        "segments_many_count": 100,
    }
    small = {"events": 10_000_000, "full_build": _step("full build", 136.4, 3 * 10**9)}
    sync = {
        "records": 1000,
        "initial": _step("initial sync", 1.0),
        "changed_records": 10,
        "resync": _step("re-sync", 0.1),
        "resync_check": {"exact": True},
    }
    drt = {"initial": _step("drt-core initial sync", 2.0), "summary": {"records": 1000}}
    sections = [big, small, sync, drt]
    for section in sections:
        section["measured"] = {key: OLD for key in section}
    return {
        "scales": {"10M": small, "100M": big},
        "sync": sync,
        "drt": drt,
        "machine": {"CPU": "recorded CPU"},
    }


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """BENCH_RESULTS and BENCH_REPORT in tmp_path (the first one holding earlier runs),
    a fixed commit, and a machine description that needs no psutil."""
    results, markdown = tmp_path / "benchmarks.json", tmp_path / "benchmarks.md"
    results.write_text(json.dumps(_recorded()))
    markdown.write_text(f"# notes kept\n\n{report.BEGIN}\nold table\n{report.END}\ntail kept\n")
    monkeypatch.setattr(machine, "commit", lambda: "new1234")
    monkeypatch.setattr(machine, "describe", lambda: {"CPU": "this CPU"})
    for name, value in {
        "BENCH_RESULTS": str(results),
        "BENCH_REPORT": str(markdown),
        "BENCH_DIR": str(tmp_path / "bench"),
    }.items():
        monkeypatch.setenv(name, value)
    return results, markdown


def _measurement(label: str, seconds: float = 7.0) -> Measurement:
    return Measurement(label, seconds, 2 * 10**9, 2 * 10**9, 0)


def test_record_overwrites_the_step_and_stamps_it_keeping_the_rest(
    files: tuple[Path, Path],
) -> None:
    results = Results.load(files[0])
    section = results.scale("100M")
    results.record(section, "refresh", _measurement("incremental refresh", 120.0))

    saved = json.loads(files[0].read_text())
    big = saved["scales"]["100M"]
    assert big["refresh"]["seconds"] == 120.0
    assert big["measured"]["refresh"]["commit"] == "new1234"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", big["measured"]["refresh"]["at"])
    assert big["full_build"]["seconds"] == 1500.0  # not measured: kept, with its stamp
    assert big["measured"]["full_build"] == OLD
    assert saved["scales"]["10M"] == _recorded()["scales"]["10M"]
    assert saved["sync"] == _recorded()["sync"]


def test_results_load_without_a_file_starts_empty(tmp_path: Path) -> None:
    results = Results.load(tmp_path / "missing.json", commit="abc1234")
    results.record(results.data["sync"], "records", 5)
    saved = json.loads((tmp_path / "missing.json").read_text())
    assert saved["scales"] == {} and saved["drt"] == {}
    assert saved["sync"]["records"] == 5
    assert saved["sync"]["measured"]["records"]["commit"] == "abc1234"


def test_partial_run_keeps_the_steps_it_skipped(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """BENCH_SCALES=100M BENCH_SEGMENTS=0 BENCH_REBUILD=0 BENCH_SYNC_SCALE=none, with
    every measured step stubbed: the 100M build steps are replaced, the rest is kept."""
    for name, value in {
        "BENCH_SCALES": "100M",
        "BENCH_SEGMENTS": "0",
        "BENCH_REBUILD": "0",
        "BENCH_SYNC_SCALE": "none",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(project, "snapshot", lambda target: target)
    monkeypatch.setattr(dbt_steps, "generate", lambda raw, **_: _measurement("generate"))
    monkeypatch.setattr(dbt_steps, "dbt", lambda label, *_, **__: _measurement(label, 100.0))
    monkeypatch.setattr(runner, "run_measured", lambda label, *_, **__: _measurement(label))
    monkeypatch.setattr(runner, "copy_warehouse", lambda source, target: None)

    assert main([]) == 0

    saved = json.loads(files[0].read_text())
    big = saved["scales"]["100M"]
    for key in ("full_build", "floor", "refresh", "time_only"):
        assert big["measured"][key]["commit"] == "new1234", key
    assert big["full_build"]["seconds"] == 100.0
    assert big["segments_many"]["seconds"] == 180.0  # skipped: kept
    assert big["measured"]["segments_many"] == OLD
    assert saved["scales"]["10M"] == _recorded()["scales"]["10M"]
    assert saved["sync"] == _recorded()["sync"] and saved["drt"] == _recorded()["drt"]
    assert saved["machine"] == {"CPU": "this CPU"}

    table = files[1].read_text()
    today = big["measured"]["full_build"]["at"][:10]
    assert re.search(rf"\| 100M: full build \| 100\.0 s \|.*\| {today} new1234 \|", table)
    assert re.search(r"\| 100M: segments, 100 \| 180\.0 s \|.*\| 2026-12-01 0ld0000 \|", table)
    assert re.search(r"\| 10M: full build \| 136\.4 s \|.*\| 2026-12-01 0ld0000 \|", table)
    assert re.search(rf"\| full build 100M / 10M \|.*\| {today} new1234 \|", table)


def test_time_only_figure_is_the_median_of_its_runs(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time-only step runs TIME_ONLY_RUNS times at the same as_of, each on the
    warehouse as the refresh left it (copied back before the second and later runs), the
    median run is the figure and the report lists every run beside it."""
    monkeypatch.setenv("BENCH_SCALES", "100M")
    monkeypatch.setenv("BENCH_SEGMENTS", "0")
    monkeypatch.setenv("BENCH_REBUILD", "0")
    monkeypatch.setenv("BENCH_SYNC_SCALE", "none")
    # build, refresh, the 3 time-only runs (the median is neither the first nor the last
    # run, nor the fastest or slowest), the whole project
    times = iter([300.0, 1.0, 25.0, 20.0, 18.0, 30.0])
    steps: list[tuple[str, datetime | None]] = []

    def dbt(label: str, *_: Any, as_of: datetime, **__: Any) -> Measurement:
        steps.append((label, as_of))
        return _measurement(label, next(times))

    def copy_warehouse(source: Path, target: Path) -> None:
        steps.append((f"copy {source.name} to {target.name}", None))

    monkeypatch.setattr(project, "snapshot", lambda target: target)
    monkeypatch.setattr(dbt_steps, "generate", lambda raw, **_: _measurement("generate"))
    monkeypatch.setattr(dbt_steps, "dbt", dbt)
    monkeypatch.setattr(runner, "run_measured", lambda label, *_, **__: _measurement(label))
    monkeypatch.setattr(runner, "copy_warehouse", copy_warehouse)

    assert main([]) == 0

    big = json.loads(files[0].read_text())["scales"]["100M"]
    assert [run["seconds"] for run in big["time_only_runs"]] == [25.0, 20.0, 18.0]
    assert big["time_only"] == big["time_only_runs"][1]  # run 2, with its memory figures
    later = dict(steps)["incremental refresh"] + timedelta(days=1)
    keep = "copy warehouse.duckdb to warehouse_refreshed.duckdb"
    restore = "copy warehouse_refreshed.duckdb to warehouse.duckdb"
    assert steps[2:] == [
        (keep, None),
        ("time-only re-evaluation, run 1", later),
        (restore, None),
        ("time-only re-evaluation, run 2", later),
        (restore, None),
        ("time-only re-evaluation, run 3", later),
        ("time-only, whole project", later + timedelta(days=1)),
    ]
    assert re.search(
        r"\| 100M: time-only re-evaluation .*\| 20\.0 s \(median of 25\.0, 20\.0, 18\.0 s\) "
        r"\| ≤ 5% of full \| 6\.7% \| FAIL \|",
        files[1].read_text(),
    )


def test_a_failed_time_only_run_leaves_no_copy_behind(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy of the refreshed warehouse (10 GB at 100M) is dropped even when a run
    fails, and the time-only figure of the earlier run is kept."""
    monkeypatch.setenv("BENCH_SCALES", "100M")
    monkeypatch.setenv("BENCH_SEGMENTS", "0")
    monkeypatch.setenv("BENCH_REBUILD", "0")
    monkeypatch.setenv("BENCH_SYNC_SCALE", "none")

    def dbt(label: str, *_: Any, warehouse: Path, **__: Any) -> Measurement:
        if label == "time-only re-evaluation, run 2":
            raise StepFailed(label)
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        warehouse.write_text(label)
        return _measurement(label)

    monkeypatch.setattr(project, "snapshot", lambda target: target)
    monkeypatch.setattr(dbt_steps, "generate", lambda raw, **_: _measurement("generate"))
    monkeypatch.setattr(dbt_steps, "dbt", dbt)
    monkeypatch.setattr(runner, "run_measured", lambda label, *_, **__: _measurement(label))

    with pytest.raises(StepFailed):
        main([])

    folder = BenchConfig.from_env().scale_dir("100M")
    assert not (folder / "warehouse_refreshed.duckdb").exists()
    big = json.loads(files[0].read_text())["scales"]["100M"]
    assert big["measured"]["time_only"] == OLD and "time_only_runs" not in big


def test_copy_warehouse_copies_the_file_with_its_own_wal_only(tmp_path: Path) -> None:
    source, target = tmp_path / "refreshed.duckdb", tmp_path / "warehouse.duckdb"
    source.write_bytes(b"as the refresh left it")
    target.write_bytes(b"after a time-only run")
    Path(f"{target}.wal").write_bytes(b"stale")

    runner.copy_warehouse(source, target)

    assert target.read_bytes() == b"as the refresh left it"
    assert not Path(f"{target}.wal").exists()

    Path(f"{source}.wal").write_bytes(b"not checkpointed")
    runner.copy_warehouse(source, target)

    assert Path(f"{target}.wal").read_bytes() == b"not checkpointed"


def test_render_names_the_run_of_each_row(files: tuple[Path, Path]) -> None:
    data = _recorded()
    data["scales"]["1M"] = {"full_build": _step("full build", 20.0)}  # no stamp
    data["sync"]["measured"]["resync"] = {"commit": "5ync000", "at": "2026-12-03 10:00"}
    config = BenchConfig.from_env()

    text = report.render(config, data)

    assert "| figure | value | target | ratio | verdict | measured |" in text
    assert "| 1M: full build | 20.0 s |  |  |  | - |" in text
    assert re.search(r"\| 100M: incremental refresh .* \| 2026-12-01 0ld0000 \|", text)
    assert re.search(r"\| sync: re-sync, 10 changed .* \| 2026-12-03 5ync000 \|", text)
    assert re.search(r"\| drt-core \(rest_api, batch\): initial, 1,000 records .* 0ld0000 \|", text)
    # scales in size order, whatever order the file has them in
    assert text.index("| 1M: full build") < text.index("| 10M: full build")
    assert "| full build 10M / 1M |" in text and "| full build 100M / 10M |" in text
    assert f"from `{config.results_path}`" in text
    assert f"Raw figures: `{config.results_path}`." in text
    assert "| CPU | recorded CPU |" in text  # the machine of the runs, not this one
    assert "| commit that wrote this report | new1234 |" in text


def test_report_command_reads_the_file_and_keeps_the_notes(files: tuple[Path, Path]) -> None:
    before = files[0].read_text()

    assert main(["report"]) == 0

    text = files[1].read_text()
    assert text.startswith("# notes kept\n\n") and text.endswith(f"{report.END}\ntail kept\n")
    assert "old table" not in text
    assert re.search(r"\| 100M: full build \| 1,500\.0 s \|.*\| 2026-12-01 0ld0000 \|", text)
    assert re.search(r"\| sync: initial, 1,000 records \|.*\| 2026-12-01 0ld0000 \|", text)
    assert files[0].read_text() == before  # the report records nothing


@pytest.mark.parametrize("drt", ["1", "0"])
def test_sync_command_resets_the_sync_and_drt_unless_told(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, drt: str
) -> None:
    from bench import sync_steps

    def fake_run(config: BenchConfig, results: Results) -> None:
        results.record(results.data["sync"], "records", 7)

    monkeypatch.setattr(sync_steps, "run", fake_run)
    monkeypatch.setenv("BENCH_SYNC_SCALE", "100M")
    monkeypatch.setenv("BENCH_DRT", drt)

    assert main(["sync"]) == 0

    saved = json.loads(files[0].read_text())
    assert saved["sync"]["records"] == 7 and "initial" not in saved["sync"]
    assert saved["sync"]["measured"]["records"]["commit"] == "new1234"
    assert saved["drt"] == ({} if drt == "1" else _recorded()["drt"])
    assert saved["scales"] == _recorded()["scales"]


def test_segments_command_builds_on_the_rebuild_and_keeps_the_rest(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m bench segments`: both segment steps on copies of the last run's rebuild,
    half an hour after its as_of; the other figures stay as recorded."""
    monkeypatch.setenv("BENCH_SCALES", "100M")
    config = BenchConfig.from_env()
    folder = config.scale_dir("100M")
    folder.mkdir(parents=True)
    (folder / "rebuild.duckdb").write_text("the rebuild")
    calls: list[tuple[str, str, object]] = []

    def fake_dbt(label: str, snapshot: Path, args: list[str], **kwargs: Any) -> Measurement:
        calls.append((label, kwargs["warehouse"].read_text(), kwargs["as_of"]))
        return _measurement(label, 60.0 if label == "15 segments" else 150.0)

    monkeypatch.setattr(project, "reference_only", lambda target: ["a"] * 15)
    monkeypatch.setattr(project, "with_variants", lambda target, n: ["a"] * (15 + n))
    monkeypatch.setattr(dbt_steps, "dbt", fake_dbt)

    assert main(["segments"]) == 0

    after_refresh = datetime(2026, 11, 20, 23, 30)  # the refresh's as_of + 30 minutes
    assert calls == [
        ("15 segments", "the rebuild", after_refresh),
        ("100 segments", "the rebuild", after_refresh),
    ]
    saved = json.loads(files[0].read_text())
    big = saved["scales"]["100M"]
    assert big["segments_15"]["seconds"] == 60.0 and big["segments_many"]["seconds"] == 150.0
    assert big["measured"]["segments_many"]["commit"] == "new1234"
    assert big["full_build"] == _recorded()["scales"]["100M"]["full_build"]
    assert big["measured"]["full_build"] == OLD
    assert not list(folder.glob("warehouse_*.duckdb"))  # the copies are removed


def test_segments_command_needs_every_rebuild_before_it_measures(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the 100M rebuild there but not the 10M one, nothing is built and nothing is
    recorded."""
    monkeypatch.setenv("BENCH_SCALES", "10M 100M")
    folder = BenchConfig.from_env().scale_dir("100M")
    folder.mkdir(parents=True)
    (folder / "rebuild.duckdb").write_text("the rebuild")
    monkeypatch.setattr(dbt_steps, "dbt", lambda *_, **__: pytest.fail("built without a rebuild"))

    with pytest.raises(SystemExit, match=r"10M/rebuild\.duckdb is missing"):
        main(["segments"])
    assert json.loads(files[0].read_text()) == _recorded()


def test_bench_takes_duckdb_settings_from_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The floor query, the report and every dbt step use the profile's defaults, not
    copies of them: a changed default in profiles.yml is what the bench runs and reports."""
    profiles = tmp_path / "profiles.yml"
    profiles.write_text(
        "settings:\n"
        "  memory_limit: \"{{ env_var('DUCKDB_MEMORY_LIMIT', '3.5GB') }}\"\n"
        "  threads: \"{{ env_var( 'DUCKDB_THREADS',  '3') }}\"\n"
    )
    monkeypatch.delenv("DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.setenv("DUCKDB_THREADS", "1")
    assert profile_setting("DUCKDB_MEMORY_LIMIT", profiles) == "3.5GB"
    assert profile_setting("DUCKDB_THREADS", profiles) == "1"
    with pytest.raises(ValueError, match="DUCKDB_BLOCK_ALLOCATOR_MEMORY"):
        profile_setting("DUCKDB_BLOCK_ALLOCATOR_MEMORY", profiles)
    # the project's own profile names all three
    for variable in ("DUCKDB_MEMORY_LIMIT", "DUCKDB_THREADS", "DUCKDB_BLOCK_ALLOCATOR_MEMORY"):
        assert profile_setting(variable)


def test_run_measured_records_the_cpu_time_of_the_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """User + system seconds of the child come from wait4, not from polling (a stub
    psutil stands in for the bench extra's: the tests' virtualenv does not install it)."""

    class Process:
        def __init__(self, pid: int) -> None:
            self.pid = pid

        def children(self, recursive: bool = False) -> list[Process]:
            return []

        def memory_info(self) -> types.SimpleNamespace:
            return types.SimpleNamespace(rss=1)

    stub = types.SimpleNamespace(Process=Process, Error=OSError)
    monkeypatch.setitem(sys.modules, "psutil", stub)
    busy = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass"

    measurement = run_measured("busy", [python(), "-c", busy], log=tmp_path / "busy.log")

    assert measurement.returncode == 0
    assert 0.4 <= measurement.cpu_seconds <= measurement.seconds + 0.5
    assert measurement.slowest_nodes == ()


def _run_results(path: Path, timings: dict[str, float | None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    results = [{"unique_id": uid, "execution_time": t} for uid, t in timings.items()]
    path.write_text(json.dumps({"results": results}))


def test_slowest_nodes_come_from_run_results_slowest_first(tmp_path: Path) -> None:
    path = tmp_path / "run_results.json"
    _run_results(
        path,
        {
            "model.audience_warehouse.contact_features": 3.77,
            "test.audience_warehouse.unique_contact_features_contact_id.1a2b3c": 0.5,
            "model.audience_warehouse.int_contact_activity_summarized": 4.64,
            "operation.audience_warehouse.audience_warehouse-on-run-start-0": None,
            "model.audience_warehouse.segments": 0.5,
            "model.audience_warehouse.cart_abandoners": 0.61,
            "unit_test.audience_warehouse.contact_features.stored_plus_as_of_day": 0.01,
            # a singular data test (tests/dbt) has no hash to drop
            "test.audience_warehouse.assert_windowed_counts_grow_with_the_window": 0.02,
        },
    )

    assert dbt_steps.slowest_nodes(path, count=4) == (
        ("int_contact_activity_summarized", 4.64),
        ("contact_features", 3.77),
        ("cart_abandoners", 0.61),
        ("segments", 0.5),  # ties in unique_id order: model. before test.
    )
    assert dbt_steps.slowest_nodes(path, count=8)[-4:] == (
        ("test unique_contact_features_contact_id", 0.5),
        ("test assert_windowed_counts_grow_with_the_window", 0.02),
        ("unit_test contact_features.stored_plus_as_of_day", 0.01),
        ("operation audience_warehouse-on-run-start-0", 0.0),
    )
    assert dbt_steps.slowest_nodes(tmp_path / "missing.json") == ()


@pytest.mark.parametrize("writes_results", [True, False])
def test_a_dbt_step_reports_the_slowest_nodes_of_its_own_run_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes_results: bool
) -> None:
    """run_results.json of an earlier step is removed before the step runs, so a run
    that writes none is not credited with the last one's nodes."""
    project_dir = tmp_path / "project"
    run_results = project_dir / "target" / "run_results.json"
    _run_results(run_results, {"model.audience_warehouse.from_an_earlier_step": 99.0})

    def fake_run(label: str, *_: Any, **__: Any) -> Measurement:
        if writes_results:
            _run_results(run_results, {"model.audience_warehouse.contact_features": 3.0})
        return _measurement(label)

    monkeypatch.setattr(dbt_steps, "run_measured", fake_run)

    measurement = dbt_steps.dbt(
        "time-only re-evaluation",
        project_dir,
        ["build"],
        raw=tmp_path / "raw",
        warehouse=tmp_path / "warehouse.duckdb",
        as_of=datetime(2026, 11, 21, 23),
        log=tmp_path / "dbt.log",
    )

    expected = (("contact_features", 3.0),) if writes_results else ()
    assert measurement.slowest_nodes == expected
    assert measurement.seconds == 7.0


def test_report_shows_cpu_time_and_slowest_nodes_where_a_run_recorded_them(
    files: tuple[Path, Path],
) -> None:
    data = _recorded()
    big = data["scales"]["100M"]
    big["full_build"] |= {
        "cpu_seconds": 2950.5,
        "slowest_nodes": [["int_actor_activity_rolled_up", 124.65], ["stg_segment__pages", 89.9]],
    }
    big["time_only"] |= {"cpu_seconds": 33.04, "slowest_nodes": [["contact_features", 3.77]]}
    big["time_only_runs"] = [_step("run 1", 210.0), big["time_only"], _step("run 3", 190.0)]
    big["a_new_step"] = _step("a new dbt step", 9.0) | {"slowest_nodes": [["segments", 1.0]]}

    text = report.render(BenchConfig.from_env(), data)

    assert "| 100M: full build | 1,500.0 s, CPU 2,950.5 s |" in text
    assert "| 100M: floor query / full build | 50.0 s |" in text  # recorded before CPU was
    assert re.search(
        r"\| 100M: time-only re-evaluation .*\| 200\.0 s \(median of 210\.0, 200\.0, 190\.0 s\)"
        r", CPU 33\.0 s \|",
        text,
    )
    assert "| step | slowest nodes |" in text
    assert (
        "| 100M: full build | int_actor_activity_rolled_up 124.7 s, stg_segment__pages 89.9 s |"
        in text
    )
    assert "| 100M: time-only re-evaluation | contact_features 3.8 s |" in text
    assert "| 100M: a new dbt step | segments 1.0 s |" in text  # no list of steps to extend
    # in the order the file holds the steps, which is the order they ran
    assert (
        text.index("| 100M: full build | int_")
        < text.index("| 100M: time-only re-evaluation | contact")
        < text.index("| 100M: a new dbt step |")
        < text.index("Raw figures:")
    )


def test_report_has_no_slowest_nodes_table_when_no_run_recorded_them(
    files: tuple[Path, Path],
) -> None:
    assert "slowest nodes" not in report.render(BenchConfig.from_env(), _recorded())
