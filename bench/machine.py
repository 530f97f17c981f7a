"""What ran the benchmark: CPU, cores, memory, OS and the versions that matter."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

import psutil

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


def _commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"


def describe() -> dict[str, str]:
    memory = psutil.virtual_memory().total
    return {
        "CPU": _cpu_model(),
        "cores (logical / physical)": f"{psutil.cpu_count()} / {psutil.cpu_count(logical=False)}",
        "memory": f"{memory / 2**30:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": platform.python_version(),
        "duckdb": _version("duckdb"),
        "dbt-core / dbt-duckdb": f"{_version('dbt-core')} / {_version('dbt-duckdb')}",
        "drt-core": _version("drt-core"),
        "project commit": _commit(),
    }
