"""What ran the benchmark: CPU, cores, memory, OS and the versions that matter (a run
keeps them in docs/benchmarks.json), and the commit checked out."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bench.config import PROJECT_DIR


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def commit() -> str:
    """The short commit of the checkout (HEAD)."""
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"


def describe() -> dict[str, str]:
    import psutil  # the bench extra's (bench.measure)

    memory = psutil.virtual_memory().total
    return {
        "CPU": _cpu_model(),
        "cores (logical / physical)": f"{psutil.cpu_count()} / {psutil.cpu_count(logical=False)}",
        "memory": f"{memory / 2**30:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        # the interpreter behind the venv: dbt's speed depends on how it was built (README)
        "Python": f"{platform.python_version()} ({os.path.realpath(sys.executable)})",
        "duckdb": _version("duckdb"),
        "dbt-core / dbt-duckdb": f"{_version('dbt-core')} / {_version('dbt-duckdb')}",
        "drt-core": _version("drt-core"),
    }
