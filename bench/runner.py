"""The benchmark's steps in order, per scale, then the syncs, then the report."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from audience_warehouse.dbt_runner import BUILD_ARGS, TIME_ONLY_ARGS
from bench import dbt_steps, project
from bench.compare import compare
from bench.config import TIME_ONLY_RUNS, BenchConfig, iso, parse_scale
from bench.measure import Measurement, python, run_measured
from bench.results import Results

# The segment steps rebuild the segments and everything after them (memberships, syncs).
SEGMENT_SELECTOR = "path:models/segments+"
SEGMENT_SELECTION = ["--select", SEGMENT_SELECTOR, "--exclude-resource-type", "unit_test"]


def run_scale(config: BenchConfig, scale: str, results: Results) -> None:
    events = parse_scale(scale)
    contacts = config.contacts_for(events)
    folder = config.scale_dir(scale)
    logs, raw, times = folder / "logs", folder / "raw", config.times
    reused = config.reuse_data and reset_to_base_batch(raw)
    for child in folder.iterdir() if folder.exists() else []:
        if child != raw or not reused:
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    section = results.scale(scale)
    results.record(section, "events", events)
    results.record(section, "contacts", contacts)

    main = project.snapshot(folder / "project")
    if not reused:
        results.record(
            section,
            "generate",
            dbt_steps.generate(
                raw, events=events, contacts=contacts, batch="base", log=logs / "gen.log"
            ),
        )

    # 1. full build from nothing
    warehouse = folder / "warehouse.duckdb"
    full = dbt_steps.dbt(
        "full build",
        main,
        list(BUILD_ARGS),
        raw=raw,
        warehouse=warehouse,
        as_of=times.full,
        log=logs / "full_build.log",
    )
    results.record(section, "full_build", full)

    # 2. the floor: one hand-written query over the same Parquet
    floor = run_measured(
        "floor query",
        [python(), "-m", "bench.floor", str(raw), iso(times.full), str(folder / "floor.duckdb")],
        cwd=project.PROJECT_DIR,
        log=logs / "floor.log",
    )
    results.record(section, "floor", floor)

    # 5. segments: the 15 reference ones against 15 + variants, each on a copy of the build
    if config.segments:
        run_segments(config, folder, warehouse, times.segments, section, results)

    # 3. one more day of events (with late rows for earlier days), incremental refresh
    results.record(
        section,
        "generate_increment",
        dbt_steps.generate(
            raw, events=events, contacts=contacts, batch="increment", log=logs / "gen_inc.log"
        ),
    )
    refresh = dbt_steps.dbt(
        "incremental refresh",
        main,
        list(BUILD_ARGS),
        raw=raw,
        warehouse=warehouse,
        as_of=times.refresh,
        log=logs / "refresh.log",
    )
    results.record(section, "refresh", refresh)
    if config.rebuild:
        run_rebuild(main, raw, folder, times.refresh, section, results)

    # 4. time only: no new events, as_of one day later. A scheduled run with no new raw
    # file builds the models that read as_of and what is downstream (TIME_ONLY_ARGS). The
    # same run is measured TIME_ONLY_RUNS times, each on the warehouse as the refresh left
    # it (copied back to the same path, so dbt still parses partially), and the median is
    # the figure; the whole project's build one more day later is reported beside it.
    refreshed = folder / "warehouse_refreshed.duckdb"
    copy_warehouse(warehouse, refreshed)
    time_only_runs = []
    try:
        for run in range(1, TIME_ONLY_RUNS + 1):
            if run > 1:
                copy_warehouse(refreshed, warehouse)
            time_only_runs.append(
                dbt_steps.dbt(
                    f"time-only re-evaluation, run {run}",
                    main,
                    list(TIME_ONLY_ARGS),
                    raw=raw,
                    warehouse=warehouse,
                    as_of=times.time_only,
                    log=logs / f"time_only_{run}.log",
                )
            )
    finally:
        drop_warehouse(refreshed)
    results.record(section, "time_only_runs", [asdict(run) for run in time_only_runs])
    results.record(section, "time_only", median_run(time_only_runs))
    time_only_whole = dbt_steps.dbt(
        "time-only, whole project",
        main,
        list(BUILD_ARGS),
        raw=raw,
        warehouse=warehouse,
        as_of=times.time_only_whole,
        log=logs / "time_only_whole.log",
    )
    results.record(section, "time_only_whole", time_only_whole)


def copy_warehouse(source: Path, target: Path) -> None:
    """The closed DuckDB file `source` at `target`, with its WAL when it has one (a
    process that ended without a checkpoint leaves one) and never with target's old one."""
    source_wal, target_wal = Path(f"{source}.wal"), Path(f"{target}.wal")
    target_wal.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if source_wal.exists():
        shutil.copyfile(source_wal, target_wal)


def drop_warehouse(path: Path) -> None:
    """A DuckDB file the bench copied, and its WAL."""
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


def median_run(runs: list[Measurement]) -> Measurement:
    """The run of median time (the lower middle one of an even count)."""
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def run_rebuild(
    main: Path, raw: Path, folder: Path, as_of: datetime, section: dict, results: Results
) -> None:
    """Rebuild the refreshed data from nothing and compare it with the refreshed warehouse.
    On a copy of the project, so the refreshed warehouse's next run still parses partially
    (another warehouse path is another profile to dbt, which re-parses everything)."""
    logs, warehouse = folder / "logs", folder / "warehouse.duckdb"
    rebuild_path = folder / "rebuild.duckdb"
    rebuild_project = folder / "project_rebuild"
    shutil.rmtree(rebuild_project, ignore_errors=True)
    shutil.copytree(main, rebuild_project, ignore=shutil.ignore_patterns("target", "logs"))
    rebuild = dbt_steps.dbt(
        "full rebuild (same data)",
        rebuild_project,
        list(BUILD_ARGS),
        raw=raw,
        warehouse=rebuild_path,
        as_of=as_of,
        log=logs / "rebuild.log",
    )
    results.record(section, "rebuild", rebuild)
    differences = compare(warehouse, rebuild_path)
    results.record(
        section,
        "refresh_equals_rebuild",
        [{**d.__dict__, "equal": d.equal} for d in differences],
    )
    for difference in differences:
        print(f"[bench] compare {difference}", flush=True)


def reset_to_base_batch(raw: Path) -> bool:
    """BENCH_REUSE_DATA=1: drop the increment files a previous run added to `raw`, so it
    holds the base batch again (generating 100M events takes minutes). False when there
    is no base batch to reuse."""
    bases = list(raw.glob("*/base.parquet"))
    if not bases:
        return False
    for increment in raw.glob("*/increment-*.parquet"):
        increment.unlink()
    return True


def run_segments(
    config: BenchConfig,
    folder: Path,
    warehouse: Path,
    as_of: datetime,
    section: dict,
    results: Results,
) -> None:
    """The 15 reference segments against 15 + variants, each built on its own copy of the
    full build in `warehouse`, at `as_of` (half an hour after that build's)."""
    logs, raw = folder / "logs", folder / "raw"
    for key, make in (
        ("segments_15", lambda p: project.reference_only(p)),
        ("segments_many", lambda p: project.with_variants(p, config.variants)),
    ):
        snapshot = folder / f"project_{key}"
        names = make(snapshot)
        copy = folder / f"warehouse_{key}.duckdb"
        copy_warehouse(warehouse, copy)
        measurement = dbt_steps.dbt(
            f"{len(names)} segments",
            snapshot,
            ["build", *SEGMENT_SELECTION],
            raw=raw,
            warehouse=copy,
            as_of=as_of,
            log=logs / f"{key}.log",
            extra_vars={"segments": names},
        )
        results.record(section, key, measurement)
        results.record(section, f"{key}_count", len(names))
        drop_warehouse(copy)


def run_segments_on_rebuild(config: BenchConfig, results: Results) -> None:
    """`python -m bench segments`: the segment steps alone, on each scale's rebuild from
    the last run (a full build at the refresh's as_of), without building again. Every
    scale's rebuild must exist before any is measured."""
    rebuilds = [config.scale_dir(scale) / "rebuild.duckdb" for scale in config.scales]
    for rebuild in rebuilds:
        if not rebuild.exists():
            raise SystemExit(f"[bench] {rebuild} is missing: run the bench with BENCH_REBUILD=1")
    as_of = config.times.refresh + (config.times.segments - config.times.full)
    for scale, rebuild in zip(config.scales, rebuilds, strict=True):
        run_segments(config, rebuild.parent, rebuild, as_of, results.scale(scale), results)


def run_all(config: BenchConfig, results: Results) -> None:
    for scale in config.scales:
        run_scale(config, scale, results)
    if config.sync_scale:
        from bench import sync_steps

        sync_steps.run(config, results)
