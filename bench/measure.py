"""Run one step as its own process and measure it from outside: wall time, the peak
resident memory of the whole process tree (psutil polling), the largest single process
(ru_maxrss from wait4: the child and the descendants it waited for, exact even between
polls; dbt runs DuckDB in its own process, so this is the build's peak) and the CPU time
they used (user + system, from the same wait4)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # psutil is the bench extra's: imported where a step runs, so the
    import psutil  # figures and the report load without it

POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Measurement:
    label: str
    seconds: float
    peak_tree_rss: int  # bytes: the largest sum of RSS over the process and its children
    max_process_rss: int  # bytes: ru_maxrss of the largest single process
    returncode: int
    # user + system seconds of the process and the descendants it waited for: wall time
    # moves with the machine's load, CPU time less (docs/benchmarks.md, "nineteenth run")
    cpu_seconds: float = 0.0
    # a dbt step's slowest nodes, (name, seconds), slowest first (dbt_steps.slowest_nodes)
    slowest_nodes: tuple[tuple[str, float], ...] = ()

    @property
    def peak_rss(self) -> int:
        return max(self.peak_tree_rss, self.max_process_rss)


class StepFailed(RuntimeError):
    """A measured step exited non-zero; the message names its log."""


def _tree_rss(process: psutil.Process) -> int:
    import psutil

    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def run_measured(
    label: str,
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    log: Path,
) -> Measurement:
    """Run `command` to completion (output to `log`); raise StepFailed when it fails."""
    import psutil

    log.parent.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, **(env or {})}
    print(f"[bench] {label}: {' '.join(command)}", flush=True)
    # The writes of the steps before (a 10 GB warehouse copied, a build just closed) are
    # flushed first, so this step's fsyncs do not wait for their writeback.
    os.sync()
    with log.open("w") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, env=full_env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
        process = psutil.Process(child.pid)
        peak = 0
        returncode = None
        max_rss_kb, cpu_seconds = 0, 0.0
        while returncode is None:
            peak = max(peak, _tree_rss(process))
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == 0:
                time.sleep(POLL_SECONDS)
                continue
            returncode = os.waitstatus_to_exitcode(status)
            max_rss_kb = usage.ru_maxrss
            cpu_seconds = usage.ru_utime + usage.ru_stime
        child.returncode = returncode
        seconds = time.perf_counter() - started
    measurement = Measurement(
        label, seconds, peak, max_rss_kb * 1024, returncode, cpu_seconds=cpu_seconds
    )
    print(
        f"[bench] {label}: {seconds:.1f} s, CPU {cpu_seconds:.1f} s, peak RSS"
        f" {measurement.peak_rss / 2**20:.0f} MiB (exit {returncode})",
        flush=True,
    )
    if returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise StepFailed(f"{label} failed (exit {returncode}); log {log}\n{tail}")
    return measurement


def python() -> str:
    return sys.executable
