"""Dirt: quarantinable rows, late arrivals and duplicates within a batch (``ev_raw`` ->
``ev``), and base rows re-sent in an increment."""

from __future__ import annotations

import duckdb

from .run import DAY, HOUR, SECOND, Run
from .schema import EVENT_TABLES
from .sql import q


def apply_dirt(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """ev = ev_raw + dirt.

    * q (quarantine kind) 1 null id, 2 no anonymous_id nor user_id, 3 null timestamp,
      4 timestamp more than a day after received_at: 0.4% of rows, plus the 4 pages and
      4 tracks picked first by hash, so each batch has each kind. Never on clean rows
      or identifies.
    * late arrivals: 0.5% of rows received 2 hours to 4 days after they happened.
    * duplicates: 0.6% of rows sent again (same id and payload, received later).
    """
    recv_max = run.recv_end_us - 1
    con.execute(
        """
        CREATE TEMP TABLE forced_q AS
        WITH picks AS (
            SELECT etype = 'page' AS is_page,
                min_by(struct_pack(src := src, k1 := k1, k2 := k2), u('qf', src, k1, k2), 4)
                    AS lst
            FROM ev_raw WHERE NOT clean AND etype <> 'identify'
            GROUP BY ALL
        )
        SELECT unnest(lst) AS r, generate_subscripts(lst, 1) AS q FROM picks
        """
    )
    con.execute(
        f"""
        CREATE TABLE ev AS
        WITH d AS (
            SELECT ev_raw.*, u('dirt', ev_raw.src, ev_raw.k1, ev_raw.k2) AS ud, fq.q AS fq
            FROM ev_raw
            LEFT JOIN forced_q fq
              ON fq.r.src = ev_raw.src AND fq.r.k1 = ev_raw.k1 AND fq.r.k2 = ev_raw.k2
        ), marked AS (
            SELECT * EXCLUDE (ud, fq, recv_us),
                CASE WHEN fq IS NOT NULL THEN fq
                     WHEN ud < 0.004 AND NOT clean AND etype <> 'identify'
                         THEN 1 + pick(u('qkind', src, k1, k2), 4)
                     ELSE 0 END AS q,
                CASE WHEN ud >= 0.004 AND ud < 0.009
                     THEN greatest(recv_us, least({recv_max}, ts_us + 2 * {HOUR}
                          + (pow(u('late', src, k1, k2), 2) * 4 * {DAY})::BIGINT))
                     ELSE recv_us END AS recv_us
            FROM d
        ), skewed AS (
            -- a device clock days ahead: timestamp far after received_at (the copy's too)
            SELECT * REPLACE (CASE WHEN q = 4
                THEN recv_us + 2 * {DAY} + (u('skew', src, k1, k2) * 20 * {DAY})::BIGINT
                ELSE ts_us END AS ts_us)
            FROM marked
        )
        SELECT *, false AS dup FROM skewed
        UNION ALL
        SELECT * REPLACE (least({recv_max}, recv_us + 30 * {SECOND}
                + (u('dup_t', src, k1, k2) * 3 * {HOUR})::BIGINT) AS recv_us),
            true
        FROM skewed WHERE u('dup', src, k1, k2) < 0.006
        """
    )
    con.execute("DROP TABLE ev_raw")
    con.execute("DROP TABLE forced_q")


def create_resent_base_rows(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """A few valid base rows of the last two days re-sent in the increment (client
    retries): same id and payload, received in the new period. Track rows are re-sent
    with their per-event row."""
    per_table = max(2, round(0.004 * run.batch_events / 2))
    recv = (
        f"make_timestamp({run.end_us} + "
        f"(u('resend', id, 0, 0) * {run.increment_days * DAY - 1})::BIGINT)"
    )
    valid = (
        'id IS NOT NULL AND "timestamp" IS NOT NULL AND (anonymous_id IS NOT NULL OR '
        'user_id IS NOT NULL) AND "timestamp" <= received_at + INTERVAL 1 DAY '
        f'AND "timestamp" >= make_timestamp({run.end_us - 2 * DAY})'
    )
    for table in ("pages", "tracks"):
        path = run.out_dir / table / "base.parquet"
        con.execute(
            f"""
            CREATE TABLE resent_{table} AS
            SELECT DISTINCT ON (id) * REPLACE ({recv} AS received_at)
            FROM (
                SELECT * FROM read_parquet({q(path.as_posix())}) WHERE {valid}
                ORDER BY hash({run.seed}, 'resend', id), received_at LIMIT {2 * per_table}
            )
            ORDER BY id, received_at
            LIMIT {per_table}
            """
        )
    for table in EVENT_TABLES:
        path = run.out_dir / table / "base.parquet"
        if not path.exists():
            continue
        con.execute(
            f"""
            CREATE TABLE resent_{table} AS
            SELECT DISTINCT ON (id) * REPLACE ({recv} AS received_at)
            FROM read_parquet({q(path.as_posix())})
            WHERE id IN (SELECT id FROM resent_tracks)
            ORDER BY id, received_at
            """
        )
