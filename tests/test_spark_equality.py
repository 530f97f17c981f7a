"""The same models on Spark give the same rows as on DuckDB (README, "Running on Spark").

Builds a small generated dataset on both engines, twice (the base batch, then the next
day's increment, incrementally: history gets entries and exits), and compares the tables
segments and syncs read, and the records the sync engine reads from each sync model.
Runs when the `spark` extra is installed (`make spark-check` installs it), else skipped;
`make spark-check` runs the same comparison on a larger dataset.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from audience_warehouse import engine_check


def _spark_installed() -> bool:
    return (
        importlib.util.find_spec("pyspark") is not None
        and importlib.util.find_spec("dbt.adapters.spark") is not None
        and shutil.which("java") is not None
    )


pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(not _spark_installed(), reason="needs the spark extra and Java"),
]


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory):
    warehouses = engine_check.Warehouses(Path(tmp_path_factory.mktemp("engines")))
    engine_check.generate(warehouses, contacts=300, events=30_000, seed=11, days=60)
    engine_check.build_both(warehouses)
    return engine_check.check(warehouses)


def test_spark_builds_the_same_rows_as_duckdb(compared) -> None:
    differences, _ = compared
    assert {d.table for d in differences} == set(engine_check.COMPARED_TABLES)
    for difference in differences:
        assert difference.rows > 0, f"{difference.table} is empty: the check proves nothing"
    unequal = {
        d.table: (d.only_duckdb_count, d.only_spark_count, d.only_duckdb[:2], d.only_spark[:2])
        for d in differences
        if not d.equal
    }
    assert not unequal, f"rows only on DuckDB / only on Spark: {unequal}"


def test_sync_model_read_from_spark_gives_the_same_records(compared) -> None:
    _, sync = compared
    for model, (on_duckdb, on_spark, differing) in sync.items():
        assert on_duckdb > 0, f"{model} is empty on DuckDB"
        assert (on_spark, differing) == (on_duckdb, 0), model
