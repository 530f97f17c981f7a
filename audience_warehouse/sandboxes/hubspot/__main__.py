"""Command line: run the HubSpot sandbox in the foreground.

    python -m audience_warehouse.sandboxes.hubspot --port 8765 --token demo \
        --rate-limit 190/10 --fault rate_503=0.05 --fault rate_drop_after=0.01 --seed 7
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import signal
import sys

from .faults import FaultConfig
from .sandbox import HubSpotSandbox

_FAULT_FIELDS = {f.name: f for f in dataclasses.fields(FaultConfig)}


def _fault(text: str) -> tuple[str, object]:
    name, sep, raw = text.partition("=")
    if not sep or name not in _FAULT_FIELDS:
        known = ", ".join(_FAULT_FIELDS)
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with NAME one of: {known}")
    if name == "paths":
        return name, tuple(p for p in raw.split(",") if p)
    kind = int if _FAULT_FIELDS[name].type in ("int", int) else float
    try:
        return name, kind(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name} needs a number, got {raw!r}") from None


def _window(text: str) -> tuple[int, float]:
    count, sep, seconds = text.partition("/")
    try:
        return int(count), float(seconds) if sep else 10.0
    except ValueError:
        raise argparse.ArgumentTypeError("expected COUNT/SECONDS, e.g. 190/10") from None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m audience_warehouse.sandboxes.hubspot",
        description="Local HubSpot CRM v3 sandbox (contacts, properties, lists).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--token", default="test-token", help="expected Bearer token")
    parser.add_argument("--rate-limit", type=_window, default=(190, 10.0), metavar="N/SECONDS")
    parser.add_argument("--daily-limit", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault streams")
    parser.add_argument(
        "--fault",
        type=_fault,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fault setting, repeatable (e.g. rate_503=0.05, slow_seconds=1.5)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        faults = FaultConfig(**dict(args.fault))
    except (TypeError, ValueError) as error:
        print(f"invalid fault settings: {error}", file=sys.stderr)
        return 2
    sandbox = HubSpotSandbox(
        host=args.host,
        port=args.port,
        token=args.token,
        rate_limit=args.rate_limit,
        daily_limit=args.daily_limit,
        faults=faults,
        seed=args.seed,
        verbose=args.verbose,
    )
    signal.signal(signal.SIGTERM, lambda *_: sandbox.stop())
    sandbox.start()
    print(f"HubSpot sandbox listening on {sandbox.base_url}", flush=True)
    print(f"settings: {json.dumps(sandbox.config())}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sandbox.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
