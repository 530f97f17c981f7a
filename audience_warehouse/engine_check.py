"""Build the same data on DuckDB and on Spark, and compare the results row for row.

    python -m audience_warehouse.engine_check [--workdir DIR] [--contacts N] [--events M]
        [--seed S] [--days D] [--single-build]

Generates raw data (a base batch, then the base plus the next day's increment), builds
the project on each engine twice, as a scheduled refresh would (the base at FIRST_AS_OF,
then base + increment at SECOND_AS_OF, incrementally), and compares contact_features,
segment_memberships and segment_membership_history, plus the records the sync engine reads
from each sync model. Exits 1 and prints sample rows when anything differs. Needs the
`spark` extra (`pip install -e '.[spark]'`, Java 17); `make spark-check` runs it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from audience_warehouse import demo_data
from audience_warehouse.dbt_runner import run_dbt
from audience_warehouse.settings import PROJECT_DIR, Settings
from audience_warehouse.spark_session import spark_target

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

END = date(2026, 11, 20)
FIRST_AS_OF = "2026-11-19T23:00:00Z"
SECOND_AS_OF = "2026-11-20T23:00:00Z"
COMPARED_TABLES = ("contact_features", "segment_memberships", "segment_membership_history")
SYNC_MODELS = ("sync_hubspot_contacts", "sync_salesforce_contacts")


@dataclass
class Warehouses:
    """Where one check's data and both engines' warehouses live."""

    root: Path
    raw_base: Path = field(init=False)
    raw_both: Path = field(init=False)
    duckdb_path: Path = field(init=False)
    spark_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.raw_base = self.root / "raw-base"
        self.raw_both = self.root / "raw-both"
        self.duckdb_path = self.root / "duckdb" / "warehouse.duckdb"
        self.spark_dir = self.root / "spark"

    def spark_env(self) -> dict[str, str]:
        # TZ: PySpark hands timestamps to dbt's Jinja in the process's local time zone.
        return {"DBT_TARGET": "spark", "SPARK_WAREHOUSE_DIR": str(self.spark_dir), "TZ": "UTC"}


def generate(warehouses: Warehouses, *, contacts: int, events: int, seed: int, days: int) -> None:
    """The base batch alone, and the base plus the next day's increment (the base files
    copied with their modification times, so the refresh reads the increment's alone)."""
    demo_data.generate(
        warehouses.raw_base, contacts=contacts, events=events, seed=seed, end=END, days=days
    )
    shutil.copytree(warehouses.raw_base, warehouses.raw_both)
    demo_data.generate(
        warehouses.raw_both,
        contacts=contacts,
        events=events,
        seed=seed,
        end=END,
        days=days,
        batch="increment",
    )


def build(warehouses: Warehouses, engine: str, raw: Path, as_of: str, *args: str) -> float:
    """`dbt run` on one engine; returns the seconds it took."""
    settings = Settings(
        project_dir=PROJECT_DIR, raw_data_path=raw, warehouse_path=warehouses.duckdb_path
    )
    started = time.monotonic()
    run_dbt(
        ["run", *args],
        settings,
        dbt_vars={"as_of": as_of},
        target_path=warehouses.root / f"target-{engine}",
        capture=True,
        extra_env=warehouses.spark_env() if engine == "spark" else {"DBT_TARGET": "duckdb"},
    )
    return time.monotonic() - started


def build_both(warehouses: Warehouses, *, single_build: bool = False) -> dict[str, list[float]]:
    """Both engines, from empty warehouses: base at FIRST_AS_OF, then incrementally."""
    shutil.rmtree(warehouses.duckdb_path.parent, ignore_errors=True)
    shutil.rmtree(warehouses.spark_dir, ignore_errors=True)
    warehouses.spark_dir.mkdir(parents=True)
    steps = [(warehouses.raw_both, SECOND_AS_OF)]
    if not single_build:
        steps = [(warehouses.raw_base, FIRST_AS_OF), *steps]
    timings: dict[str, list[float]] = {}
    for engine in ("duckdb", "spark"):
        for raw, as_of in steps:
            seconds = build(warehouses, engine, raw, as_of)
            timings.setdefault(engine, []).append(seconds)
            print(f"  {engine:6} build at {as_of} on {raw.name}: {seconds:.0f}s", flush=True)
    return timings


@dataclass
class Difference:
    table: str
    rows: int
    only_duckdb: list[tuple]
    only_spark: list[tuple]
    only_duckdb_count: int
    only_spark_count: int

    @property
    def equal(self) -> bool:
        return not self.only_duckdb_count and not self.only_spark_count


def spark_tables_into(
    connection: duckdb.DuckDBPyConnection, spark: SparkSession, tables: Sequence[str]
) -> None:
    """Copy Spark's tables into `connection` as spark_<table> (through Arrow; timestamps
    arrive as UTC instants)."""
    schema = spark_target({})["schema"]
    for table in tables:
        arrow_table = spark.table(f"{schema}.{table}").toArrow()  # noqa: F841 (read in SQL)
        connection.execute(f"create table spark_{table} as select * from arrow_table")


def compare_tables(
    connection: duckdb.DuckDBPyConnection, tables: Sequence[str], samples: int = 5
) -> list[Difference]:
    """duck.<table> against spark_<table> as multisets of rows, DuckDB's column order."""
    differences = []
    for table in tables:
        columns = connection.execute(f"select * from duck.{table} limit 0").description
        spark_types = {
            name: kind
            for name, kind, *_ in connection.execute(f"describe spark_{table}").fetchall()
        }
        selected = []
        for name, *_ in columns:
            if name not in spark_types:
                raise AssertionError(f"{table}: column {name} missing on Spark")
            # Spark's timestamps arrive as UTC instants; DuckDB's are UTC wall-clock times.
            is_instant = "WITH TIME ZONE" in spark_types[name]
            selected.append(f'cast("{name}" as timestamp)' if is_instant else f'"{name}"')
        duck = f"select * from duck.{table}"
        spark = f"select {', '.join(selected)} from spark_{table}"

        def rows(sql: str) -> tuple[int, list[tuple]]:
            count = connection.execute(f"select count(*) from ({sql})").fetchone()[0]
            return count, connection.execute(f"{sql} limit {samples}").fetchall()

        only_duckdb_count, only_duckdb = rows(f"({duck} except all {spark})")
        only_spark_count, only_spark = rows(f"({spark} except all {duck})")
        total = connection.execute(f"select count(*) from duck.{table}").fetchone()[0]
        differences.append(
            Difference(table, total, only_duckdb, only_spark, only_duckdb_count, only_spark_count)
        )
    return differences


def compare_sync_records(
    warehouses: Warehouses, spark: SparkSession
) -> dict[str, tuple[int, int, int]]:
    """Per sync model: (records on DuckDB, records read from Spark, records that differ)."""
    from audience_warehouse.sync.records import load_records
    from audience_warehouse.sync.spark_reader import load_records_from_spark

    with duckdb.connect(str(warehouses.duckdb_path), read_only=True) as connection:
        from_duckdb = {model: load_records(connection, model) for model in SYNC_MODELS}
    result = {}
    for model in SYNC_MODELS:
        left, right = from_duckdb[model], load_records_from_spark(spark, model)
        differing = sum(left.get(key) != right.get(key) for key in set(left) | set(right))
        result[model] = (len(left), len(right), differing)
    return result


def check(warehouses: Warehouses) -> tuple[list[Difference], dict[str, tuple[int, int, int]]]:
    """Compare the built warehouses: the tables, then the sync models' records. Starts a
    Spark session on the spark warehouse with dbt's spark target settings."""
    from audience_warehouse.spark_session import spark_session

    spark = spark_session({"SPARK_WAREHOUSE_DIR": str(warehouses.spark_dir)})
    try:
        with duckdb.connect() as connection:
            connection.execute("set TimeZone = 'UTC'")
            connection.execute(f"attach '{warehouses.duckdb_path}' as duck (read_only)")
            spark_tables_into(connection, spark, COMPARED_TABLES)
            differences = compare_tables(connection, COMPARED_TABLES)
        return differences, compare_sync_records(warehouses, spark)
    finally:
        spark.stop()


def report(differences: list[Difference], sync: dict[str, tuple[int, int, int]]) -> bool:
    ok = True
    for difference in differences:
        status = "equal" if difference.equal and difference.rows else "DIFFERENT"
        ok &= status == "equal"
        print(
            f"  {difference.table:28} {difference.rows:>8} rows  {status}"
            + (
                ""
                if difference.equal
                else f" ({difference.only_duckdb_count} only on DuckDB, "
                f"{difference.only_spark_count} only on Spark)"
            )
        )
        for label, rows in (("duckdb", difference.only_duckdb), ("spark", difference.only_spark)):
            for row in rows:
                print(f"      only {label}: {row}")
    for model, (on_duckdb, on_spark, differing) in sync.items():
        status = "equal" if not differing and on_duckdb else "DIFFERENT"
        ok &= status == "equal"
        print(
            f"  {model:28} {on_duckdb:>8} records  {status} (Spark {on_spark}, {differing} differ)"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare a DuckDB build with a Spark build.")
    parser.add_argument("--workdir", type=Path, default=PROJECT_DIR / "target" / "engine-check")
    parser.add_argument("--contacts", type=int, default=3_000)
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument(
        "--single-build", action="store_true", help="one full build per engine, no incremental"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    warehouses = Warehouses(args.workdir.resolve())
    shutil.rmtree(warehouses.root, ignore_errors=True)
    print(f"generating {args.events:,} events for {args.contacts:,} contacts", flush=True)
    generate(warehouses, contacts=args.contacts, events=args.events, seed=args.seed, days=args.days)
    print("building", flush=True)
    build_both(warehouses, single_build=args.single_build)
    print("comparing DuckDB with Spark", flush=True)
    differences, sync = check(warehouses)
    ok = report(differences, sync)
    print(
        f"{'same results on both engines' if ok else 'ENGINES DISAGREE'} "
        f"({time.monotonic() - started:.0f}s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
