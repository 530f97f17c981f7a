"""Tests of the demo data generator (audience_warehouse.demo_data), on small sizes."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from audience_warehouse import demo_data
from audience_warehouse.demo_data import EVENT_TABLES, TABLES, generate, main, seeded_members

END = date(2026, 11, 20)
END_TS = datetime(2026, 11, 20)
SIZE = {"contacts": 300, "events": 20_000, "end": END, "days": 120}

COMMON = [
    ("id", "VARCHAR"),
    ("anonymous_id", "VARCHAR"),
    ("user_id", "VARCHAR"),
    ("timestamp", "TIMESTAMP"),
    ("received_at", "TIMESTAMP"),
]
V = "VARCHAR"
D = "DOUBLE"
EXPECTED_EXTRA = {
    "pages": [
        ("path", V),
        ("url", V),
        ("title", V),
        ("referrer", V),
        ("context_campaign_source", V),
        ("context_campaign_medium", V),
        ("context_campaign_name", V),
    ],
    "tracks": [("event", V), ("event_text", V)],
    "identifies": [
        ("email", V),
        ("first_name", V),
        ("last_name", V),
        ("phone", V),
        ("company_name", V),
        ("job_title", V),
        ("country", V),
    ],
    "product_viewed": [("product_id", V), ("category", V), ("name", V), ("price", D)],
    "checkout_started": [("order_id", V), ("value", D), ("currency", V)],
    "order_completed": [("order_id", V), ("revenue", D), ("currency", V)],
    "email_delivered": [("campaign_id", V), ("email_id", V)],
    "email_opened": [("campaign_id", V), ("email_id", V)],
    "email_link_clicked": [("campaign_id", V), ("email_id", V), ("link_url", V)],
    "email_bounced": [("campaign_id", V), ("email_id", V), ("bounce_type", V)],
    "unsubscribed": [("campaign_id", V)],
    "form_submitted": [("form_id", V), ("form_name", V)],
    "content_downloaded": [("content_id", V), ("content_type", V), ("topic", V)],
    "video_content_playing": [("video_id", V), ("position", D), ("total_length", D)],
}
CRM = [
    ("crm_contact_id", V),
    ("email", V),
    ("lifecycle_stage", V),
    ("company_name", V),
    ("industry", V),
    ("employee_count", "INTEGER"),
    ("country", V),
    ("created_at", "TIMESTAMP"),
    ("updated_at", "TIMESTAMP"),
]
QUARANTINE = (
    "id IS NULL OR (anonymous_id IS NULL AND user_id IS NULL) OR timestamp IS NULL "
    "OR timestamp > received_at + INTERVAL 1 DAY"
)


def _rel(root: Path, table: str, file: str = "*.parquet") -> str:
    return f"read_parquet('{(root / table / file).as_posix()}')"


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return con.execute(sql).fetchall()[0][0]


def _payload(row: tuple) -> tuple:
    """An event row without its received_at (5th column)."""
    return row[:4] + row[5:]


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.parquet"))
    }


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("base")
    generate(out, seed=7, **SIZE)
    return out


@pytest.fixture(scope="module")
def with_increment(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A base batch and its increment; also the base files' digests before the increment."""
    out = tmp_path_factory.mktemp("increment")
    generate(out, seed=7, **SIZE)
    before = _digest(out)
    generate(out, seed=7, batch="increment", increment_days=2, **SIZE)
    return out, before


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_same_seed_same_rows_other_seed_other_rows(
    base: Path, tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    generate(again, seed=7, **SIZE)
    generate(other, seed=8, **SIZE)
    for table in TABLES:
        ordered = "SELECT * FROM {} ORDER BY ALL"
        first = _rows(con, ordered.format(_rel(base, table)))
        assert first == _rows(con, ordered.format(_rel(again, table))), table
        assert first != _rows(con, ordered.format(_rel(other, table))), table


def test_every_table_has_the_contract_columns_and_types(
    base: Path, con: duckdb.DuckDBPyConnection
) -> None:
    assert sorted(p.name for p in base.iterdir()) == sorted(TABLES)
    for table in TABLES:
        assert [f.name for f in (base / table).iterdir()] == ["base.parquet"]
        described = _rows(con, f"DESCRIBE SELECT * FROM {_rel(base, table)}")
        columns = [(name, kind) for name, kind, *_ in described]
        expected = CRM if table == "crm_contacts" else COMMON + EXPECTED_EXTRA[table]
        assert columns == expected, table
        assert _one(con, f"SELECT count(*) FROM {_rel(base, table)}") > 0, table


def test_pages_and_tracks_add_up_to_the_events_asked_for(
    base: Path, con: duckdb.DuckDBPyConnection
) -> None:
    pages = _one(con, f"SELECT count(*) FROM {_rel(base, 'pages')}")
    tracks = _one(con, f"SELECT count(*) FROM {_rel(base, 'tracks')}")
    assert 0.95 * SIZE["events"] <= pages + tracks <= 1.05 * SIZE["events"]
    assert 0.45 <= pages / (pages + tracks) <= 0.65


def test_every_track_row_is_mirrored_in_its_event_table(
    base: Path, con: duckdb.DuckDBPyConnection
) -> None:
    common = "id, anonymous_id, user_id, timestamp, received_at"
    for table in EVENT_TABLES:
        own = _rows(con, f"SELECT {common} FROM {_rel(base, table)} ORDER BY ALL")
        in_tracks = _rows(
            con,
            f"SELECT {common} FROM {_rel(base, 'tracks')} WHERE event = '{table}' ORDER BY ALL",
        )
        assert own == in_tracks, table
    names = dict(_rows(con, f"SELECT DISTINCT event, event_text FROM {_rel(base, 'tracks')}"))
    assert names["order_completed"] == "Order Completed"
    assert names["video_content_playing"] == "Video Content Playing"
    assert {"feature_used", "signed_in"} <= set(names)  # tracks-only events


def test_orders_follow_their_checkout(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    orders = _rows(
        con,
        f"""SELECT o.timestamp - c.timestamp, o.revenue = c.value
            FROM {_rel(base, "order_completed")} o
            JOIN {_rel(base, "checkout_started")} c USING (order_id)
            WHERE o.timestamp IS NOT NULL AND c.timestamp IS NOT NULL""",
    )
    n_orders = _one(con, f"SELECT count(DISTINCT order_id) FROM {_rel(base, 'order_completed')}")
    n_checkouts = _one(
        con, f"SELECT count(DISTINCT order_id) FROM {_rel(base, 'checkout_started')}"
    )
    assert orders and all(timedelta(0) < gap <= timedelta(hours=1) and same for gap, same in orders)
    assert 0.1 < n_orders / n_checkouts < 0.6  # many carts are abandoned


def test_each_kind_of_dirty_row_is_present_and_quarantine_is_rare(
    base: Path, con: duckdb.DuckDBPyConnection
) -> None:
    pages, tracks = _rel(base, "pages"), _rel(base, "tracks")
    events = f"(SELECT * FROM {pages} UNION ALL BY NAME SELECT * FROM {tracks})"
    kinds = _rows(
        con,
        f"""SELECT count(*) FILTER (WHERE id IS NULL),
                   count(*) FILTER (WHERE anonymous_id IS NULL AND user_id IS NULL),
                   count(*) FILTER (WHERE timestamp IS NULL),
                   count(*) FILTER (WHERE timestamp > received_at + INTERVAL 1 DAY),
                   count(*) FILTER (WHERE {QUARANTINE}),
                   count(*)
            FROM {events}""",
    )[0]
    assert all(n > 0 for n in kinds[:4]), kinds
    assert kinds[4] / kinds[5] < 0.01
    # duplicates: same id, identical payload, later received_at
    by_id: dict[str, list[tuple]] = {}
    for row in _rows(
        con,
        f"""SELECT * FROM {_rel(base, "pages")} WHERE id IN (
                SELECT id FROM {_rel(base, "pages")} GROUP BY id HAVING count(*) > 1)""",
    ):
        by_id.setdefault(row[0], []).append(row)
    assert by_id
    for copies in by_id.values():
        assert len(copies) == 2 and copies[0][4] != copies[1][4]
        assert _payload(copies[0]) == _payload(copies[1])
    late = _one(
        con,
        f"""SELECT count(*) FROM {events}
            WHERE NOT ({QUARANTINE}) AND received_at > timestamp + INTERVAL 2 HOUR""",
    )
    normal = _one(
        con,
        f"""SELECT quantile_cont(epoch(received_at - timestamp), 0.5) FROM {events}
            WHERE NOT ({QUARANTINE})""",
    )
    assert late > 0
    assert 1 <= normal <= 300  # seconds to minutes
    share = (kinds[4] + late + len(by_id)) / kinds[5]
    assert share < 0.03


def test_base_rows_lie_in_the_base_period(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    for table in ("pages", "tracks", "identifies"):
        lo, hi, recv_max = _rows(
            con,
            f"""SELECT min(timestamp), max(timestamp), max(received_at)
                FROM {_rel(base, table)} WHERE NOT ({QUARANTINE})""",
        )[0]
        assert END_TS - timedelta(days=SIZE["days"]) <= lo and hi < END_TS, table
        assert recv_max < END_TS, table


def test_identity_has_devices_shared_computers_and_messy_emails(
    base: Path, con: duckdb.DuckDBPyConnection
) -> None:
    pages, identifies = _rel(base, "pages"), _rel(base, "identifies")
    links = f"""(SELECT anonymous_id, user_id FROM {pages}
                 WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
                 UNION SELECT anonymous_id, user_id FROM {identifies}
                 WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL)"""
    shared = _one(
        con,
        f"SELECT count(*) FROM (SELECT anonymous_id FROM {links} GROUP BY 1 "
        "HAVING count(DISTINCT user_id) > 1)",
    )
    devices_per_user = _one(
        con, f"SELECT max(n) FROM (SELECT count(*) n FROM {links} GROUP BY user_id)"
    )
    anonymous_only = _one(
        con,
        f"SELECT count(DISTINCT anonymous_id) FROM {pages} "
        f"WHERE anonymous_id NOT IN (SELECT anonymous_id FROM {links})",
    )
    n_users = _one(con, f"SELECT count(DISTINCT user_id) FROM {links}")
    assert shared > 0
    assert devices_per_user >= 2
    assert anonymous_only > n_users  # most visitors never identify
    emails = [e for (e,) in _rows(con, f"SELECT email FROM {identifies} WHERE email IS NOT NULL")]
    assert any(e != e.strip() for e in emails) and any(e != e.lower() for e in emails)
    crm_matched = _one(
        con,
        f"""SELECT count(*) FROM {_rel(base, "crm_contacts")} c
            WHERE lower(trim(c.email)) IN (SELECT lower(trim(email)) FROM {identifies})
              AND c.email NOT IN (SELECT email FROM {identifies} WHERE email IS NOT NULL)""",
    )
    assert crm_matched > 0  # matched by email written differently


def test_seeded_contacts_show_their_segment_behaviour(
    base: Path, con: duckdb.DuckDBPyConnection
) -> None:
    seeded = seeded_members(contacts=SIZE["contacts"], seed=7)
    assert all(len(users) >= 2 for users in seeded.values())
    as_of = f"TIMESTAMP '{END_TS - timedelta(hours=12)}'"
    since = f"TIMESTAMP '{END_TS - timedelta(days=7)}'"
    checks = {
        "pricing_page_high_intent": f"""SELECT user_id FROM {_rel(base, "pages")}
            WHERE (path = '/pricing' OR path LIKE '/pricing/%')
              AND timestamp >= {since} AND timestamp <= {as_of}
            GROUP BY 1 HAVING count(*) >= 3""",
        "recent_form_fill": f"""SELECT user_id FROM {_rel(base, "form_submitted")}
            WHERE timestamp > {as_of} - INTERVAL 24 HOUR AND timestamp <= {as_of}""",
        "video_engaged": f"""SELECT user_id FROM {_rel(base, "video_content_playing")}
            GROUP BY user_id, video_id HAVING max(position / total_length) >= 0.75""",
        "email_suppressed": f"""SELECT user_id FROM {_rel(base, "email_bounced")}
            WHERE bounce_type = 'hard' UNION SELECT user_id FROM {_rel(base, "unsubscribed")}""",
        "repeat_link_clickers": f"""SELECT user_id FROM {_rel(base, "email_link_clicked")}
            GROUP BY user_id, link_url HAVING count(DISTINCT campaign_id) >= 2""",
    }
    for segment, sql in checks.items():
        members = {user for (user,) in _rows(con, sql)}
        assert set(seeded[segment]) <= members, segment
    assert _one(con, f"SELECT count(*) FROM {_rel(base, 'pages')} WHERE path = '/pricingx'") > 0


def test_increment_adds_files_and_keeps_base_files(
    with_increment: tuple[Path, dict[str, str]],
) -> None:
    out, before = with_increment
    after = _digest(out)
    assert {k: v for k, v in after.items() if k.endswith("base.parquet")} == before
    for table in TABLES:
        assert (out / table / "increment-2026-11-20.parquet").exists(), table


def test_increment_has_new_late_and_resent_rows_only(
    with_increment: tuple[Path, dict[str, str]], con: duckdb.DuckDBPyConnection
) -> None:
    out, _ = with_increment
    inc = "increment-2026-11-20.parquet"
    new_end = END_TS + timedelta(days=2)
    for table in ("pages", "tracks"):
        base_rel, inc_rel = _rel(out, table, "base.parquet"), _rel(out, table, inc)
        n, recv_lo, recv_hi = _rows(
            con, f"SELECT count(*), min(received_at), max(received_at) FROM {inc_rel}"
        )[0]
        assert n > 0 and recv_lo >= END_TS and recv_hi < new_end, table
        new = _one(
            con,
            f"SELECT count(*) FROM {inc_rel} WHERE timestamp >= TIMESTAMP '{END_TS}'",
        )
        late = _one(
            con,
            f"""SELECT count(*) FROM {inc_rel} WHERE timestamp < TIMESTAMP '{END_TS}'
                AND timestamp >= TIMESTAMP '{END_TS - timedelta(days=5)}'""",
        )
        assert new > 0 and late > 0, table
        # ids already in base: client retries, identical apart from received_at
        with_id = "WHERE id IS NOT NULL"
        base_rows = {r[0]: r for r in _rows(con, f"SELECT * FROM {base_rel} {with_id}")}
        resent = [r for r in _rows(con, f"SELECT * FROM {inc_rel} {with_id}") if r[0] in base_rows]
        assert 0 < len(resent) <= 20, table
        for row in resent:
            assert row[4] > base_rows[row[0]][4], table
            assert _payload(row) == _payload(base_rows[row[0]]), table
        assert _one(con, f"SELECT count(*) FROM {inc_rel} WHERE {QUARANTINE}") > 0, table
    for table in EVENT_TABLES:  # mirroring holds in the increment too
        common = "id, anonymous_id, user_id, timestamp, received_at"
        assert _rows(con, f"SELECT {common} FROM {_rel(out, table, inc)} ORDER BY ALL") == _rows(
            con,
            f"SELECT {common} FROM {_rel(out, 'tracks', inc)} WHERE event = '{table}' ORDER BY ALL",
        ), table


def test_increment_identifies_link_devices_seen_anonymously_in_base(
    with_increment: tuple[Path, dict[str, str]], con: duckdb.DuckDBPyConnection
) -> None:
    out, _ = with_increment
    base_pages = _rel(out, "pages", "base.parquet")
    base_links = f"""(SELECT anonymous_id FROM {_rel(out, "identifies", "base.parquet")}
                      WHERE anonymous_id IS NOT NULL
                      UNION SELECT anonymous_id FROM {base_pages} WHERE user_id IS NOT NULL)"""
    relinked = _one(
        con,
        f"""SELECT count(DISTINCT anonymous_id)
            FROM {_rel(out, "identifies", "increment-2026-11-20.parquet")}
            WHERE user_id IS NOT NULL
              AND anonymous_id IN (SELECT anonymous_id FROM {base_pages})
              AND anonymous_id NOT IN {base_links}""",
    )
    assert relinked > 0


def test_increment_is_deterministic(
    with_increment: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    out, _ = with_increment
    generate(tmp_path, seed=7, **SIZE)
    generate(tmp_path, seed=7, batch="increment", increment_days=2, **SIZE)
    assert _digest(tmp_path) == _digest(out)


def test_increment_needs_a_base_batch(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        generate(tmp_path, seed=7, batch="increment", **SIZE)


def test_a_new_base_removes_old_increments(tmp_path: Path) -> None:
    small = {**SIZE, "contacts": 50, "events": 2000}
    generate(tmp_path, seed=1, **small)
    generate(tmp_path, seed=1, batch="increment", **small)
    generate(tmp_path, seed=1, **small)
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["base.parquet"]


def test_cli_writes_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--out", str(tmp_path), "--contacts", "50", "--events", "2000", "--seed", "3"]
    assert main([*args, "--end", "2026-01-15", "--days", "30"]) == 0
    printed = capsys.readouterr().out
    assert "pages" in printed and "crm_contacts" in printed
    assert (tmp_path / "tracks" / "base.parquet").exists()
    assert demo_data.schema("pages")[:5] == COMMON
