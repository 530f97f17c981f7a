"""``generate``: one batch, from the arguments to the Parquet files, step by step on one
DuckDB connection."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import duckdb

from .catalogs import create_catalogs
from .crm import create_crm
from .dirt import apply_dirt, create_resent_base_rows
from .emails import create_email_catalog, insert_email_events
from .ev_raw import count_ev, create_ev_raw
from .people import create_contacts, create_devices, insert_identifies
from .run import DAY, HOUR, Run
from .seeds import insert_seeded_events
from .sessions import insert_late_identifier_sessions, insert_sessions
from .sql import create_macros, q
from .writer import write_all


def generate(
    out_dir: Path,
    *,
    contacts: int,
    events: int,
    seed: int,
    end: date,
    days: int = 120,
    batch: str = "base",
    increment_days: int = 1,
) -> dict[str, int]:
    """Write one batch of demo data under ``out_dir/<table>/``; return rows per table.

    ``batch="base"`` writes ``base.parquet`` in every table folder (events in
    ``[end - days, end)``) and removes ``increment-*.parquet`` files an earlier run left
    there. ``batch="increment"`` needs the base batch of the same arguments in ``out_dir``
    and adds ``increment-<end>.parquet`` (events in ``[end, end + increment_days)``).
    """
    if batch not in ("base", "increment"):
        raise ValueError(f"batch must be 'base' or 'increment', not {batch!r}")
    if contacts < 1 or events < 0 or days < 1 or increment_days < 1:
        raise ValueError("contacts and days must be >= 1, events >= 0, increment_days >= 1")
    run = Run(Path(out_dir), contacts, events, seed, end, days, batch, increment_days)
    if not run.is_base and not (run.out_dir / "pages" / "base.parquet").exists():
        raise FileNotFoundError(f"no base batch in {run.out_dir}: generate batch 'base' first")

    tmp = Path(tempfile.mkdtemp(prefix="aw-demo-"))
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET temp_directory = {q(tmp.as_posix())}")
        create_macros(con, run)
        create_catalogs(con)
        create_email_catalog(con, run)
        create_contacts(con, run)
        create_devices(con, run)
        _create_events(con, run)
        apply_dirt(con, run)
        create_crm(con, run)
        if not run.is_base:
            create_resent_base_rows(con, run)
        return write_all(con, run)
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _create_events(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Fill ev_raw with every message of the batch; web sessions fill up the budget."""
    create_ev_raw(con)
    insert_identifies(con, run)
    insert_email_events(con, run)
    if run.is_base:
        insert_seeded_events(con, run)
        insert_late_identifier_sessions(con, run)
        web_budget = run.batch_events - count_ev(con)
        insert_sessions(con, run, "bw", run.start_us, run.end_us, web_budget)
        return
    late_budget = max(5, round(0.05 * run.batch_events))
    # a campaign send can fill an increment: web sessions keep at least half of it
    web_budget = max(run.batch_events // 2, run.batch_events - count_ev(con)) - late_budget
    insert_sessions(con, run, "iw", run.end_us, run.inc_end_us, web_budget)
    insert_sessions(con, run, "il", run.end_us - 5 * DAY, run.end_us - HOUR, late_budget, late=True)
