"""``python -m bench``: run the benchmark as configured by the environment (see
``bench.config``: BENCH_SCALES, BENCH_DIR, BENCH_SYNC_SCALE, BENCH_SYNC_RECORDS, BENCH_DRT,
BENCH_REPORT) and write the report. ``python -m bench report`` rewrites the report from the
last run's results.json; ``python -m bench sync`` re-runs only the sync steps on the
warehouse a previous run left in BENCH_DIR."""

from __future__ import annotations

import json
import sys

from bench import report, runner
from bench.config import BenchConfig
from bench.results import Results


def main(argv: list[str]) -> int:
    config = BenchConfig.from_env()
    results = Results(config.bench_dir / "results.json")
    if argv[:1] in (["report"], ["sync"]):
        results.data = json.loads(results.path.read_text())
        if argv[:1] == ["sync"] and config.sync_scale:
            from bench import sync_steps

            results.data["sync"] = {}
            if config.drt:  # BENCH_DRT=0 keeps drt-core's last figures
                results.data["drt"] = {}
            sync_steps.run(config, results)
    else:
        config.bench_dir.mkdir(parents=True, exist_ok=True)
        results.data["config"] = {
            "scales": config.scales,
            "sync_scale": config.sync_scale,
            "sync_records": config.sync_records,
        }
        runner.run_all(config, results)
    report.write(config, results.data)
    print(f"[bench] wrote {config.report_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
