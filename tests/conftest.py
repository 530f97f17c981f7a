"""Shared helpers: build the dbt project on generated data in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from audience_warehouse import demo_data
from audience_warehouse.dbt_runner import run_dbt
from audience_warehouse.settings import PROJECT_DIR, Settings

Build = Callable[..., str]


@pytest.fixture
def build(tmp_path: Path) -> Build:
    """build(raw, warehouse, as_of, *args, dbt_vars=...) runs `dbt build`, returns its output."""

    def _build(
        raw: Path,
        warehouse: Path,
        as_of: str | None,
        *extra: str,
        dbt_vars: dict[str, object] | None = None,
    ) -> str:
        settings = Settings(project_dir=PROJECT_DIR, raw_data_path=raw, warehouse_path=warehouse)
        dbt_vars = {**({"as_of": as_of} if as_of is not None else {}), **(dbt_vars or {})}
        return run_dbt(
            ["build", *extra],
            settings,
            dbt_vars=dbt_vars,
            target_path=tmp_path / "target",
            capture=True,
        )

    return _build


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="session")
def synced_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built once per test session up to the sync models (demo data)."""
    root = tmp_path_factory.mktemp("synced")
    raw, warehouse = root / "raw", root / "warehouse.duckdb"
    demo_data.generate(raw, contacts=300, events=30_000, seed=7, end=date(2026, 11, 20))
    settings = Settings(project_dir=PROJECT_DIR, raw_data_path=raw, warehouse_path=warehouse)
    run_dbt(
        ["run", "--select", "+models/syncs"],
        settings,
        dbt_vars={"as_of": "2026-11-19T23:00:00Z"},
        target_path=root / "target",
        capture=True,
    )
    return warehouse


@pytest.fixture
def warehouse(synced_warehouse: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A private, writable copy of the session's synced warehouse."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(synced_warehouse, copy)
    connection = duckdb.connect(str(copy))
    yield connection
    connection.close()
