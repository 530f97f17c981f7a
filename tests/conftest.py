"""Shared helpers: build the dbt project on generated data in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

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
