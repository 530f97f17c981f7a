"""Benchmark settings: scales, folders and the fixed clock the data and builds use."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
END = date(2026, 11, 20)  # exclusive end of the generated base period (demo_data --end)
DAYS = 120
SEED = 42
# Every reference segment has members for an as_of in [END - 12h, END).
FULL_AS_OF = datetime(2026, 11, 19, 23, 0)
EVENTS_PER_CONTACT = 100  # about 1M contacts at 100M events
PROFILES_PATH = PROJECT_DIR / "profiles.yml"


def profile_setting(variable: str, profiles: Path = PROFILES_PATH) -> str:
    """The value dbt gets from `env_var(variable, default)` in profiles.yml: the
    environment's, else the profile's default, so the bench's dbt steps, floor query and
    report follow the profile instead of repeating its defaults."""
    found = re.search(
        rf"""env_var\(\s*['"]{variable}['"]\s*,\s*['"]([^'"]*)['"]\s*\)""", profiles.read_text()
    )
    if found is None:
        raise ValueError(f"{profiles} has no env_var('{variable}', <default>)")
    return os.environ.get(variable) or found.group(1)


# DuckDB's resources in every dbt step, the floor query and the report (see profiles.yml:
# the process peaks 0.6 to 0.9 GB above memory_limit, so a build stays under 6 GB).
DUCKDB_MEMORY_LIMIT = profile_setting("DUCKDB_MEMORY_LIMIT")
DUCKDB_THREADS = profile_setting("DUCKDB_THREADS")
DUCKDB_BLOCK_ALLOCATOR_MEMORY = profile_setting("DUCKDB_BLOCK_ALLOCATOR_MEMORY")
RESULTS_PATH = PROJECT_DIR / "docs" / "benchmarks.json"


def parse_scale(text: str) -> int:
    """'10M' -> 10_000_000, '500k' -> 500_000, '2000' -> 2000."""
    text = text.strip().upper()
    factor = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor != 1 else text
    return round(float(number) * factor)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# The time-only step runs this many times, each on the warehouse as the refresh left it,
# and the median run is the figure: one ~20 s run's time varies by up to 25% on this
# 2-core machine (docs/benchmarks.md, "eighteenth run").
TIME_ONLY_RUNS = 3
# The report lists each dbt step's slowest nodes (run_results.json), what to profile first.
SLOWEST_NODES = 5


@dataclass(frozen=True)
class Times:
    """The as_of of each step: a full build, the refresh after one more day, then the
    time-only run and the whole build with no new events, one more day each."""

    full: datetime = FULL_AS_OF
    segments: datetime = FULL_AS_OF + timedelta(minutes=30)
    refresh: datetime = FULL_AS_OF + timedelta(days=1)
    time_only: datetime = FULL_AS_OF + timedelta(days=2)
    time_only_whole: datetime = FULL_AS_OF + timedelta(days=3)


@dataclass(frozen=True)
class BenchConfig:
    scales: list[str]
    bench_dir: Path
    report_path: Path
    sync_scale: str | None  # whose warehouse the sync runs on; None: no sync step
    sync_records: int | None  # cap on records synced (None: every contact with an email)
    variants: int = 85  # generated segments on top of the 15 reference ones
    drt: bool = True
    reuse_data: bool = False  # keep <scale>/raw from a previous run (its base batch)
    segments: bool = True  # run the 15-against-100-segments step
    rebuild: bool = True  # rebuild the refreshed data from nothing and compare
    times: Times = field(default_factory=Times)
    results_path: Path = RESULTS_PATH  # the figures of every run, merged (committed)

    @classmethod
    def from_env(cls) -> BenchConfig:
        scales = os.environ.get("BENCH_SCALES", "10M 100M").split()
        bench_dir = Path(os.environ.get("BENCH_DIR") or PROJECT_DIR / "target" / "bench")
        sync_scale = os.environ.get("BENCH_SYNC_SCALE", scales[-1] if scales else "")
        records = os.environ.get("BENCH_SYNC_RECORDS", "")
        return cls(
            scales=scales,
            bench_dir=bench_dir.resolve(),
            report_path=Path(
                os.environ.get("BENCH_REPORT") or PROJECT_DIR / "docs" / "benchmarks.md"
            ),
            sync_scale=sync_scale if sync_scale and sync_scale != "none" else None,
            sync_records=parse_scale(records) if records else None,
            drt=os.environ.get("BENCH_DRT", "1") != "0",
            reuse_data=os.environ.get("BENCH_REUSE_DATA", "0") == "1",
            segments=os.environ.get("BENCH_SEGMENTS", "1") != "0",
            rebuild=os.environ.get("BENCH_REBUILD", "1") != "0",
            results_path=Path(os.environ.get("BENCH_RESULTS") or RESULTS_PATH).resolve(),
        )

    def scale_dir(self, scale: str) -> Path:
        return self.bench_dir / scale

    @staticmethod
    def contacts_for(events: int) -> int:
        return max(100, events // EVENTS_PER_CONTACT)
