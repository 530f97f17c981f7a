"""Command line: run the Salesforce sandbox for a demo until interrupted.

python -m audience_warehouse.sandboxes.salesforce --port 8766 [--seed 1] [--error-503-rate 0.1]
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from .faults import RATE_FIELDS, FaultConfig
from .limits import DEFAULT_DAILY_LIMIT
from .sandbox import SalesforceSandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m audience_warehouse.sandboxes.salesforce",
        description="Local HTTPS stand-in for the Salesforce REST API (tests and demos).",
    )
    parser.add_argument("--host", default="127.0.0.1", choices=["127.0.0.1", "localhost"])
    parser.add_argument("--port", type=int, default=8766, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault streams")
    parser.add_argument("--client-id", default=None)
    parser.add_argument("--client-secret", default=None)
    parser.add_argument("--daily-api-limit", type=int, default=DEFAULT_DAILY_LIMIT)
    parser.add_argument(
        "--ca-dir", default=None, help="write the CA PEM here (default: a temp dir)"
    )
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    for name in RATE_FIELDS:
        parser.add_argument(f"--{name.replace('_', '-')}", type=float, default=0.0, metavar="RATE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    faults = FaultConfig(
        slow_seconds=args.slow_seconds, **{name: getattr(args, name) for name in RATE_FIELDS}
    )
    credentials = {
        key: value
        for key, value in (("client_id", args.client_id), ("client_secret", args.client_secret))
        if value is not None
    }
    sandbox = SalesforceSandbox(
        args.host,
        args.port,
        faults=faults,
        seed=args.seed,
        daily_api_limit=args.daily_api_limit,
        ca_dir=args.ca_dir,
        **credentials,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with sandbox:
        print(f"Salesforce sandbox at {sandbox.instance_url}", flush=True)
        print(f"CA certificate: {sandbox.ca_path}", flush=True)
        print(f"client_id={sandbox.client_id} client_secret={sandbox.client_secret}", flush=True)
        print(f"token: POST {sandbox.token_url} (grant_type=client_credentials)", flush=True)
        print(f"admin: {sandbox.url('/__sandbox/state')}  (Ctrl-C stops)", flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
