"""``python -m bench``: run the benchmark as configured by the environment (see
``bench.config``: BENCH_SCALES, BENCH_DIR, BENCH_SYNC_SCALE, BENCH_SYNC_RECORDS, BENCH_DRT,
BENCH_RESULTS, BENCH_REPORT), merge its figures into docs/benchmarks.json (the steps it
skips keep their last figures) and write the report. ``python -m bench report`` rewrites
the report from docs/benchmarks.json; ``python -m bench sync`` re-runs only the sync steps
on the warehouse a previous run left in BENCH_DIR, ``python -m bench segments`` only the
segment steps, on the rebuild it left. A trial run (BENCH_SCALES=1M) merges
into the committed file too: point BENCH_RESULTS and BENCH_REPORT elsewhere to keep it out."""

from __future__ import annotations

import sys

from bench import machine, report, runner
from bench.config import BenchConfig
from bench.results import Results


def main(argv: list[str]) -> int:
    config = BenchConfig.from_env()
    results = Results.load(config.results_path)
    command = argv[:1]
    if command == ["sync"] and config.sync_scale:
        from bench import sync_steps

        results.data["sync"] = {}
        if config.drt:  # BENCH_DRT=0 keeps drt-core's last figures
            results.data["drt"] = {}
        results.data["machine"] = machine.describe()
        sync_steps.run(config, results)
    elif command == ["segments"]:
        results.data["machine"] = machine.describe()
        runner.run_segments_on_rebuild(config, results)
    elif command not in (["report"], ["sync"]):
        config.bench_dir.mkdir(parents=True, exist_ok=True)
        results.data["machine"] = machine.describe()
        runner.run_all(config, results)
    report.write(config, results.data)
    print(f"[bench] wrote {config.report_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
