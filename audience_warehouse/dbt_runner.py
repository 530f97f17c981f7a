"""Run dbt commands against this project as a subprocess, with the project's settings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from audience_warehouse.settings import Settings

# A scheduled build: every model and data test. dbt's unit tests check the SQL logic on
# fixed fixtures, not the data, so they run in `make test` (CI), not on every refresh.
BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")

# A time-only run (no raw file new since the last build; only as_of moved): the models
# that read as_of (dbt tag `as_of`) and everything downstream of them, with their data
# tests. The other models change only when raw files arrive: their tables, and so their
# tests' results, are the last build's.
TIME_ONLY_SELECTOR = "tag:as_of+"
TIME_ONLY_ARGS = (*BUILD_ARGS, "--select", TIME_ONLY_SELECTOR)


class DbtError(RuntimeError):
    """A dbt command exited non-zero; the message carries the tail of its output."""


def dbt_executable() -> str:
    """The project's dbt: beside the running Python, else on PATH, else in .venv/."""
    beside = Path(sys.executable).parent / "dbt"
    if beside.exists():
        return str(beside)
    on_path = shutil.which("dbt")
    if on_path:
        return on_path
    return str(Settings.from_env().project_dir / ".venv" / "bin" / "dbt")


def _failures(output: str) -> str:
    """dbt's closing summary of what failed (or the last lines when there is none)."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if "Completed with" in line:
            return "\n".join(lines[index:])
    return "\n".join(lines[-40:])


def run_dbt(
    args: Sequence[str],
    settings: Settings,
    *,
    dbt_vars: dict[str, object] | None = None,
    target_path: Path | None = None,
    capture: bool = False,
    extra_env: dict[str, str] | None = None,
) -> str:
    """Run `dbt <args>` in the project folder; raise DbtError with dbt's output on failure.

    `extra_env` adds environment variables, e.g. DBT_TARGET=spark and SPARK_WAREHOUSE_DIR."""
    command = [dbt_executable(), *args]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(settings.project_dir),
        "DBT_PROJECT_DIR": str(settings.project_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "RAW_DATA_PATH": str(settings.raw_data_path),
        "WAREHOUSE_PATH": str(settings.warehouse_path),
        **(extra_env or {}),
    }
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        command,
        cwd=settings.project_dir,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
        check=False,
    )
    output = result.stdout or ""
    if result.returncode != 0:
        raise DbtError(
            f"dbt {' '.join(args)} failed (exit {result.returncode})\n{_failures(output)}"
        )
    return output
