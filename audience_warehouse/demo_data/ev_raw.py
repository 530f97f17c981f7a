"""The ``ev_raw`` staging table that every event generator fills: its columns, the normal
receive latency of a row, and its event count."""

from __future__ import annotations

import duckdb

from .run import MINUTE, SECOND, Run


def create_ev_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Staging table of all messages of the batch, before dirt.

    (src, k1, k2) is unique and names the message (its id is derived from it). dev/usr
    are the device and contact numbers (anonymous_id/user_id). p1..p3, x, y hold the
    properties, meaning depending on etype (see the writers). clean rows are never
    quarantined (they carry the seeded segment behaviour).
    """
    con.execute(
        """
        CREATE TABLE ev_raw (
            src VARCHAR, k1 BIGINT, k2 BIGINT, etype etype_t, ts_us BIGINT, recv_us BIGINT,
            dev BIGINT, usr BIGINT, p1 INTEGER, p2 INTEGER, p3 INTEGER, x DOUBLE, y DOUBLE,
            clean BOOLEAN
        )
        """
    )


def normal_recv(run: Run, ts: str, src: str, k1: str, k2: str) -> str:
    """received_at of a normal row: a second to a few minutes after it happened."""
    delay = f"(expo(u('recv', {src}, {k1}, {k2})) * 25 * {SECOND})::BIGINT"
    latency = f"{SECOND} + least({10 * MINUTE}, {delay})"
    return f"least({ts} + {latency}, {run.recv_end_us - 1})"


def count_ev(con: duckdb.DuckDBPyConnection) -> int:
    """Rows of ev_raw that count toward the events budget (all but identifies)."""
    row = con.execute("SELECT count(*) FROM ev_raw WHERE etype <> 'identify'").fetchone()
    return int(row[0]) if row else 0
