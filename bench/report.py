"""docs/benchmarks.md: the machine, then one row per figure with its target, ratio and
verdict, and the run it comes from (its ``measured`` stamp in docs/benchmarks.json). Only
the part between the markers is rewritten; notes around it are kept."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import machine
from bench.config import (
    DUCKDB_BLOCK_ALLOCATOR_MEMORY,
    DUCKDB_MEMORY_LIMIT,
    DUCKDB_THREADS,
    PROJECT_DIR,
    BenchConfig,
    parse_scale,
)
from bench.results import MEASURED

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
GB = 10**9
SYNC_CEILING = 190 / 10 * 100  # records/s: 190 requests per 10 s, 100 records per request
HEADER = """# Benchmarks

Produced by `make bench` (`python -m bench`, see `bench/`). Every step runs as its own
process; wall time is measured from outside and peak memory is the largest resident set of
the process tree (psutil, every 0.2 s) or of one process (ru_maxrss), whichever is larger.
CPU time (user + system) comes from wait4 and each dbt step's slowest nodes from its
run_results.json. The generated section below is rewritten from docs/benchmarks.json
(every run merges its figures into it); notes outside it are kept.

"""


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    target: str
    ratio: str
    verdict: str
    measured: str  # the run the row's main step comes from: "<date> <commit>", or "-"


def _measured(section: dict[str, Any], key: str) -> str:
    stamp = section.get(MEASURED, {}).get(key)
    return f"{stamp['at'][:10]} {stamp['commit']}" if stamp else "-"


def _shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(PROJECT_DIR)) if path.is_relative_to(PROJECT_DIR) else str(path)


def _seconds(step: dict[str, Any] | None) -> float | None:
    return None if not step else float(step["seconds"])


def _rss(step: dict[str, Any]) -> int:
    return max(int(step["peak_tree_rss"]), int(step["max_process_rss"]))


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("pass" if ok else "FAIL")


def _fmt_s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:,.1f} s"


def _cpu(step: dict[str, Any] | None) -> str:
    """`, CPU n s` (user + system) where the step's run recorded it, else nothing."""
    cpu = float((step or {}).get("cpu_seconds") or 0.0)
    return f", CPU {cpu:,.1f} s" if cpu else ""


def _fmt_step(step: dict[str, Any] | None) -> str:
    return _fmt_s(_seconds(step)) + _cpu(step)


def scale_rows(scale: str, data: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    full = _seconds(data.get("full_build"))
    if full is None:
        return rows
    rss = _rss(data["full_build"])
    built = _measured(data, "full_build")
    rows.append(Row(f"{scale}: full build", _fmt_step(data["full_build"]), "", "", "", built))
    rows.append(
        Row(
            f"{scale}: full build peak memory",
            f"{rss / GB:.2f} GB",
            "≤ 6 GB",
            "",
            _verdict(rss <= 6 * GB),
            built,
        )
    )
    floor = _seconds(data.get("floor"))
    if floor:
        rows.append(
            Row(
                f"{scale}: floor query / full build",
                _fmt_step(data["floor"]),
                "full ≤ 10x floor",
                f"{full / floor:.1f}x",
                _verdict(full / floor <= 10),
                _measured(data, "floor"),
            )
        )
    refresh = _seconds(data.get("refresh"))
    if refresh is not None:
        rows.append(
            Row(
                f"{scale}: incremental refresh (+1 day)",
                _fmt_step(data["refresh"]),
                "≤ 10% of full",
                f"{100 * refresh / full:.1f}%",
                _verdict(refresh <= 0.10 * full),
                _measured(data, "refresh"),
            )
        )
    compared = data.get("refresh_equals_rebuild")
    if compared:
        equal = all(item["equal"] for item in compared)
        detail = "; ".join(
            f"{c['table']} {c['rows']:,} rows, {c['only_left']}/{c['only_right']} differ"
            for c in compared
        )
        rows.append(
            Row(
                f"{scale}: refresh == full rebuild",
                detail,
                "equal",
                "",
                _verdict(equal),
                _measured(data, "refresh_equals_rebuild"),
            )
        )
    rebuild = _seconds(data.get("rebuild"))
    if rebuild is not None:
        rows.append(
            Row(
                f"{scale}: full rebuild on the refreshed data",
                _fmt_step(data["rebuild"]),
                "",
                "",
                "",
                _measured(data, "rebuild"),
            )
        )
    time_only = _seconds(data.get("time_only"))
    if time_only is not None:
        runs = [float(run["seconds"]) for run in data.get("time_only_runs") or []]
        value = _fmt_s(time_only)
        if len(runs) > 1:
            value += f" (median of {', '.join(f'{run:.1f}' for run in runs)} s)"
        value += _cpu(data["time_only"])
        rows.append(
            Row(
                f"{scale}: time-only re-evaluation (as_of +1 day, tag:as_of+)",
                value,
                "≤ 5% of full",
                f"{100 * time_only / full:.1f}%",
                _verdict(time_only <= 0.05 * full),
                _measured(data, "time_only"),
            )
        )
    time_only_whole = _seconds(data.get("time_only_whole"))
    if time_only_whole is not None:
        rows.append(
            Row(
                f"{scale}: time-only, whole project (as_of +1 more day)",
                _fmt_step(data["time_only_whole"]),
                "",
                f"{100 * time_only_whole / full:.1f}%",
                "",
                _measured(data, "time_only_whole"),
            )
        )
    few, many = _seconds(data.get("segments_15")), _seconds(data.get("segments_many"))
    if few and many is not None:
        count = data.get("segments_many_count", "?")
        rows.append(
            Row(
                f"{scale}: segments, 15 reference",
                _fmt_step(data["segments_15"]),
                "",
                "",
                "",
                _measured(data, "segments_15"),
            )
        )
        rows.append(
            Row(
                f"{scale}: segments, {count}",
                _fmt_step(data["segments_many"]),
                "≤ 3x the 15",
                f"{many / few:.2f}x",
                _verdict(many <= 3 * few),
                _measured(data, "segments_many"),
            )
        )
    return rows


def growth_rows(data: dict[str, Any]) -> list[Row]:
    scales = [s for s in _scales(data) if data["scales"][s].get("full_build")]
    rows = []
    for small, large in itertools.pairwise(scales):
        size = parse_scale(large) / parse_scale(small)
        ratio = (
            data["scales"][large]["full_build"]["seconds"]
            / data["scales"][small]["full_build"]["seconds"]
        )
        rows.append(
            Row(
                f"full build {large} / {small}",
                f"{size:g}x the events",
                f"≤ {1.2 * size:g}x",
                f"{ratio:.1f}x",
                _verdict(ratio <= 1.2 * size),
                _measured(data["scales"][large], "full_build"),
            )
        )
    return rows


def sync_rows(sync: dict[str, Any], drt: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    if not sync.get("initial"):
        return rows
    records = int(sync["records"])
    initial = float(sync["initial"]["seconds"])
    rate = records / initial
    rows.append(
        Row(
            f"sync: initial, {records:,} records",
            f"{_fmt_s(initial)}, {rate:,.0f} records/s",
            f"≥ {0.9 * SYNC_CEILING:,.0f} records/s",
            f"{100 * rate / SYNC_CEILING:.0f}% of ceiling",
            _verdict(rate >= 0.9 * SYNC_CEILING),
            _measured(sync, "initial"),
        )
    )
    if sync.get("resync"):
        check = sync.get("resync_check", {})
        changed = int(sync.get("changed_records", 0))
        resync = float(sync["resync"]["seconds"])
        share = changed / records if records else 0
        rows.append(
            Row(
                f"sync: re-sync, {changed:,} changed ({100 * share:.1f}%)",
                _fmt_s(resync),
                "≤ 2x proportional time",
                f"{100 * resync / initial:.1f}% of initial",
                _verdict(resync <= 2 * share * initial),
                _measured(sync, "resync"),
            )
        )
        rows.append(
            Row(
                "sync: re-sync sent exactly the changed records",
                f"engine changed {check.get('engine_changed')}, added {check.get('engine_added')}; "
                f"{check.get('upsert_calls')} upsert calls (needed "
                f"{check.get('upsert_calls_needed')}); "
                f"{check.get('changed_values_in_hubspot')} new values read back",
                "exact",
                "",
                _verdict(bool(check.get("exact"))),
                _measured(sync, "resync_check"),
            )
        )
    if drt.get("initial"):
        summary = drt.get("summary", {})
        drt_records = int(summary.get("records", records))
        drt_initial = float(drt["initial"]["seconds"])
        drt_rate = drt_records / drt_initial
        rows.append(
            Row(
                f"drt-core (rest_api, batch): initial, {drt_records:,} records",
                f"{_fmt_s(drt_initial)}, {drt_rate:,.0f} records/s",
                "side by side",
                f"{100 * drt_rate / SYNC_CEILING:.0f}% of ceiling; {drt_rate / rate:.2f}x ours",
                "",
                _measured(drt, "initial"),
            )
        )
    if drt.get("resync"):
        summary = drt.get("summary", {})
        rows.append(
            Row(
                "drt-core (rest_api, batch): re-sync",
                f"{_fmt_s(float(drt['resync']['seconds']))}, "
                f"{summary.get('resync_upsert_calls')} upsert calls for "
                f"{summary.get('changed')} changed",
                "side by side",
                "",
                "",
                _measured(drt, "resync"),
            )
        )
    return rows


def slowest_lines(data: dict[str, Any]) -> list[str]:
    """One line per dbt step that recorded its slowest nodes, in the order the file holds
    the steps (the order they run): where to profile first."""
    lines = []
    for scale in _scales(data):
        for step in data["scales"][scale].values():
            nodes = step.get("slowest_nodes") if isinstance(step, dict) else None
            if nodes:
                listed = ", ".join(f"{name} {seconds:,.1f} s" for name, seconds in nodes)
                lines.append(f"| {scale}: {step['label']} | {listed} |")
    if not lines:
        return []
    return [
        "",
        "Slowest dbt nodes of each step (dbt's execution time; two dbt threads run side by "
        "side, so they overlap):",
        "",
        "| step | slowest nodes |",
        "|---|---|",
        *lines,
    ]


def _scales(data: dict[str, Any]) -> list[str]:
    return sorted(data["scales"], key=parse_scale)


def render(config: BenchConfig, data: dict[str, Any]) -> str:
    results = _shown(config.results_path)
    lines = [
        BEGIN,
        "",
        f"Written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from `{results}`. Each row names "
        "the run it comes from (`measured`: date and commit); the machine table describes "
        f"the latest run. DuckDB memory_limit {DUCKDB_MEMORY_LIMIT}, threads "
        f"{DUCKDB_THREADS}, block_allocator_memory "
        f"{DUCKDB_BLOCK_ALLOCATOR_MEMORY}.",
        "",
        "| machine | |",
        "|---|---|",
    ]
    described = {
        **(data.get("machine") or machine.describe()),
        "commit that wrote this report": machine.commit(),
    }
    lines += [f"| {key} | {value} |" for key, value in described.items()]
    lines += [
        "",
        "| figure | value | target | ratio | verdict | measured |",
        "|---|---|---|---|---|---|",
    ]
    rows: list[Row] = []
    for scale in _scales(data):
        rows += scale_rows(scale, data["scales"][scale])
    rows += growth_rows(data)
    rows += sync_rows(data.get("sync", {}), data.get("drt", {}))
    lines += [
        f"| {r.figure} | {r.value} | {r.target} | {r.ratio} | {r.verdict} | {r.measured} |"
        for r in rows
    ]
    lines += slowest_lines(data)
    lines += ["", f"Raw figures: `{results}`.", "", END]
    return "\n".join(lines)


def write(config: BenchConfig, data: dict[str, Any]) -> None:
    path = config.report_path
    generated = render(config, data)
    text = path.read_text() if path.exists() else HEADER + BEGIN + "\n" + END + "\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + generated + tail
    else:
        text = text.rstrip() + "\n\n" + generated + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
