"""Parquet output: each table's rows selected from ``ev`` and the lookup tables, written
to ``<out>/<table>/<file>`` with the contract's names and types."""

from __future__ import annotations

import duckdb

from .catalogs import SITE
from .run import Run
from .schema import EVENT_TABLES, schema
from .sql import q


def _common_select(run: Run) -> str:
    """id, anonymous_id, user_id, timestamp, received_at of an ev row, with quarantine
    damage applied. Browser messages get analytics.js-style ids, server-side ones api-."""
    key = f"concat_ws(':', {run.seed}, '{run.end.isoformat()}', ev.src, ev.k1, ev.k2)"
    anon = (
        f"'a_' || left(md5(concat_ws(':', {run.seed}, '{run.end.isoformat()}', 'dev', ev.dev)), 16)"
    )
    return f"""
        CASE WHEN ev.q = 1 THEN NULL
             ELSE CASE WHEN ev.dev IS NULL THEN 'api-' ELSE 'ajs-next-' END || md5({key})
        END AS id,
        CASE WHEN ev.q = 2 OR ev.dev IS NULL THEN NULL ELSE {anon} END AS anonymous_id,
        CASE WHEN ev.q = 2 OR ev.usr IS NULL THEN NULL ELSE printf('u_%06d', ev.usr) END
            AS user_id,
        CASE WHEN ev.q = 3 THEN NULL ELSE make_timestamp(ev.ts_us) END AS "timestamp",
        make_timestamp(ev.recv_us) AS received_at"""


def _order_id(run: Run) -> str:
    """Same for a checkout and its order: p1 is the checkout's k2."""
    key = f"concat_ws(':', {run.seed}, '{run.end.isoformat()}', 'order', ev.src, ev.k1, ev.p1)"
    return f"'o_' || left(md5({key}), 12)"


def _currency() -> str:
    return """CASE WHEN u('cur', ev.src, ev.k1, ev.p1) < 0.85 THEN 'USD'
                   WHEN u('cur', ev.src, ev.k1, ev.p1) < 0.95 THEN 'EUR' ELSE 'GBP' END"""


def _event_table_select(run: Run, table: str) -> str:
    """Properties and joins of one per-event table (rows of ev with etype = table)."""
    email = "JOIN email_cat m ON m.seq = ev.p1"
    props: dict[str, tuple[str, str]] = {
        "product_viewed": (
            "pc.product_id, pc.category, pc.name, pc.price",
            "JOIN product_cat pc ON pc.idx = ev.p1",
        ),
        "checkout_started": (f"{_order_id(run)}, ev.x, {_currency()}", ""),
        "order_completed": (f"{_order_id(run)}, ev.x, {_currency()}", ""),
        "email_delivered": ("m.campaign_id, m.email_id", email),
        "email_opened": ("m.campaign_id, m.email_id", email),
        "email_link_clicked": (
            "m.campaign_id, m.email_id, l.url",
            f"{email} JOIN email_links l ON l.seq = ev.p1 AND l.link_no = ev.p2",
        ),
        "email_bounced": (
            "m.campaign_id, m.email_id, CASE WHEN ev.p3 = 1 THEN 'hard' ELSE 'soft' END",
            email,
        ),
        "unsubscribed": ("m.campaign_id", "LEFT JOIN email_cat m ON m.seq = ev.p1"),
        "form_submitted": ("f.form_id, f.form_name", "JOIN form_cat f ON f.idx = ev.p1"),
        "content_downloaded": (
            "c.content_id, c.content_type, c.topic",
            "JOIN content_cat c ON c.idx = ev.p1",
        ),
        "video_content_playing": ("v.video_id, ev.x, ev.y", "JOIN video_cat v ON v.idx = ev.p1"),
    }
    columns, joins = props[table]
    return f"SELECT {_common_select(run)}, {columns} FROM ev {joins} WHERE ev.etype = '{table}'"


def _pages_select(run: Run) -> str:
    return f"""
        SELECT {_common_select(run)},
            pc.path,
            '{SITE}' || pc.path || coalesce('?utm_source=' || uc.source || '&utm_medium='
                || uc.medium || '&utm_campaign=' || uc.name, '') AS url,
            pc.title,
            CASE WHEN ev.p3 = 0 THEN '{SITE}/' ELSE rc.url END AS referrer,
            uc.source, uc.medium, uc.name
        FROM ev
        JOIN page_cat pc ON pc.idx = ev.p1
        LEFT JOIN utm_cat uc ON uc.idx = ev.p2
        LEFT JOIN ref_cat rc ON rc.idx = ev.p3
        WHERE ev.etype = 'page'"""


def _tracks_select(run: Run) -> str:
    return f"""
        SELECT {_common_select(run)}, ev.etype::VARCHAR, en.event_text
        FROM ev JOIN event_names en ON en.etype = ev.etype::VARCHAR
        WHERE ev.etype NOT IN ('page', 'identify')"""


def _identifies_select(run: Run) -> str:
    return f"""
        SELECT {_common_select(run)},
            CASE WHEN NOT c.has_email THEN NULL
                 WHEN ev.p1 = 2 THEN email_variant(c.local_disp, c.stem2, c.tld2, ev.p2)
                 ELSE email_variant(c.local_disp, c.stem1, c.tld1, ev.p2) END,
            c.first_name, c.last_name, c.phone,
            CASE WHEN ev.p1 = 2 THEN c.company2 ELSE c.company END,
            c.job_title, c.country
        FROM ev JOIN contacts c ON c.k = ev.usr
        WHERE ev.etype = 'identify'"""


def write_all(con: duckdb.DuckDBPyConnection, run: Run) -> dict[str, int]:
    selects = {
        "pages": _pages_select(run),
        "tracks": _tracks_select(run),
        "identifies": _identifies_select(run),
        **{t: _event_table_select(run, t) for t in EVENT_TABLES},
        "crm_contacts": "SELECT * FROM out_crm_contacts",
    }
    counts: dict[str, int] = {}
    for table, select in selects.items():
        counts[table] = _write_table(con, run, table, select)
    return counts


def _write_table(con: duckdb.DuckDBPyConnection, run: Run, table: str, select: str) -> int:
    """COPY one table to ``<out>/<table>/<file>`` with the contract's names and types."""
    folder = run.out_dir / table
    folder.mkdir(parents=True, exist_ok=True)
    if run.is_base:
        for stale in folder.glob("increment-*.parquet"):
            stale.unlink()
    columns = schema(table)
    names = [name for name, _ in columns]
    body = f"SELECT * FROM ({select}) s({', '.join(_ident(n) for n in names)})"
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if f"resent_{table}" in tables:
        body += f"\nUNION ALL SELECT * FROM resent_{table}"
    casts = ", ".join(f"{_ident(n)}::{t} AS {_ident(n)}" for n, t in columns)
    order = (
        "crm_contact_id, updated_at" if table == "crm_contacts" else 'received_at, id, "timestamp"'
    )
    path = folder / run.file_name
    con.execute(
        f"""
        COPY (SELECT {casts} FROM ({body}) ORDER BY {order})
        TO {q(path.as_posix())} (FORMAT parquet, COMPRESSION zstd)
        """
    )
    row = con.execute(f"SELECT count(*) FROM read_parquet({q(path.as_posix())})").fetchone()
    return int(row[0]) if row else 0


def _ident(name: str) -> str:
    return f'"{name}"'
