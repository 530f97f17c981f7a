"""Where things live: the project folder, raw data, the warehouse file, and DAGSTER_HOME.

Every path can be set by environment variable; the defaults sit inside the project folder,
so a fresh clone runs with no configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    raw_data_path: Path
    warehouse_path: Path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = PROJECT_DIR / "data"
        raw = env.get("RAW_DATA_PATH") or data_dir / "raw"
        warehouse = env.get("WAREHOUSE_PATH") or data_dir / "warehouse.duckdb"
        return cls(
            project_dir=PROJECT_DIR,
            raw_data_path=Path(raw).resolve(),
            warehouse_path=Path(warehouse).resolve(),
        )

    def has_raw_data(self) -> bool:
        """True when the required `pages` table has at least one Parquet file."""
        return any((self.raw_data_path / "pages").glob("*.parquet"))
