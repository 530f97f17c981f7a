"""Reference-segment seeds: which contacts are seeded into which segment, and the
behaviour each segment looks for."""

from __future__ import annotations

import duckdb

from .catalogs import CUSTOMERS, FORMS, PAGE_INDEX, PRODUCTS, SEEDED_SEGMENTS, VIDEOS
from .emails import email_schedule
from .ev_raw import normal_recv
from .run import DAY, HOUR, MINUTE, SECOND, Run


def seeded_members(*, contacts: int, seed: int) -> dict[str, list[str]]:
    """The user_ids deliberately seeded into each reference segment (same seed and
    contacts as ``generate``). For an ``as_of`` in ``[end - 12h, end)`` on the base batch
    each of them is a member of that segment (other contacts may be members too);
    ``email_reengagement`` gets the seeded ``inactive_90d`` contacts."""
    con = duckdb.connect(":memory:")
    try:
        rows = con.execute(
            f"""
            SELECT rnk % 100 AS segment_i, printf('u_%06d', k) AS user_id
            FROM ({ranked_contacts_sql(contacts, seed)})
            WHERE rnk % 100 < {len(SEEDED_SEGMENTS)}
            ORDER BY k
            """
        ).fetchall()
    finally:
        con.close()
    members: dict[str, list[str]] = {name: [] for name in SEEDED_SEGMENTS}
    for segment_i, user_id in rows:
        members[SEEDED_SEGMENTS[segment_i]].append(user_id)
    members["email_reengagement"] = list(members["inactive_90d"])
    return members


def ranked_contacts_sql(contacts: int, seed: int) -> str:
    """Contact numbers k = 1..contacts with rnk, their rank in a seed-shuffled order
    (rnk % 100 picks the seeded segment, rnk % 500 the shared inboxes)."""
    return f"""
        SELECT range + 1 AS k,
               row_number() OVER (ORDER BY hash({seed}, 'rank', range), range) - 1 AS rnk
        FROM range({contacts})"""


def insert_seeded_events(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Base batch only: the behaviour each seeded contact's segment looks for.

    Times are between end - 30 days and end - 12 hours (7-day behaviours in the last 6
    days, the form fill in the last 22 hours, email clicks on the last day), so every
    reference segment has members for an as_of in [end - 12h, end). Web rows carry the
    contact's first device and user_id; email clicks carry user_id only.
    """
    e = run.end_us
    schedule = email_schedule(run)
    seq_a, seq_b = schedule.seq_a, schedule.seq_b
    page = PAGE_INDEX

    def when(lo_days: float, hi_hours: float = 12) -> str:
        """A time in (end - lo_days, end - hi_hours], distinct per (contact, n)."""
        span = int(lo_days * DAY - hi_hours * HOUR)
        return f"{e} - {int(hi_hours * HOUR)} - (u('seed_t', k, n, 0) * {span})::BIGINT"

    def rows(scenario: str, n_filter: str, etype: str, ts: str, props: str) -> str:
        """Rows n = 0..19 kept by n_filter; props: p1, p2, p3, x, y, web (has a device)."""
        return f"""
            SELECT '{etype}' AS etype, k, n, {ts} AS ts_us, {props}
            FROM contacts CROSS JOIN range(20) r(n)
            WHERE scenario = '{scenario}' AND {n_filter}"""

    def web(p1: str = "NULL", p3: str = "NULL", x: str = "NULL", y: str = "NULL") -> str:
        return f"{p1} AS p1, NULL AS p2, {p3} AS p3, {x} AS x, {y} AS y, true AS web"

    def click(seq: str, link: str) -> str:
        return f"{seq} AS p1, {link} AS p2, NULL AS p3, NULL AS x, NULL AS y, false AS web"

    pricing = (
        f"CASE WHEN u('pp', k, n, 0) < 0.7 THEN {page['/pricing']} "
        f"ELSE {page['/pricing/enterprise']} END"
    )
    demo = f"CASE WHEN n = 0 THEN {page['/demo']} ELSE {page['/demo/book']} END"
    case_pages = [page["/case-studies"]] + [page[f"/case-studies/{c}"] for c in CUSTOMERS]
    case_study = f"{case_pages}[pick(u('cs', k, n, 0), {len(case_pages)}) + 1]"
    checkout_t = f"{e} - 13 * {HOUR} - (u('seed_t', k, 0, 0) * 4 * {DAY})::BIGINT"
    send_b = f"(SELECT send_us FROM email_cat WHERE seq = {seq_b})"
    first_click = f"greatest({send_b} + 2 * {HOUR}, {e} - 20 * {DAY})"
    click_b = f"{first_click} + (u('seed_t', k, n, 0) * ({e} - {DAY} - {first_click}))::BIGINT"
    click_day = f"{e} - {DAY} + {HOUR} + (u('seed_t', k, n, 0) * 10 * {HOUR})::BIGINT"
    # v_product_tour (180 s) or v_audience_sync (120 s), watched to 80%+ in 15 s heartbeats
    video = "pick(u('vid', k, 0, 0), 2) * 3"
    video_len = f"{[v[2] for v in VIDEOS]}[{video} + 1]"
    video_t = f"{e} - 2 * {DAY} - (u('seed_t', k, 0, 0) * 15 * {DAY})::BIGINT + n * 15 * {SECOND}"
    parts = [
        rows("pricing_page_high_intent", "n < 3 + pick(u('np', k, 0, 0), 3)", "page", when(6),
             web(pricing, p3="0")),
        rows("demo_page_repeat_visitors", "n < 2 + pick(u('np', k, 0, 0), 2)", "page", when(6),
             web(demo, p3="0")),
        rows("cart_abandoners", "n = 0", "product_viewed", f"{checkout_t} - 3 * {MINUTE}",
             web(f"pick(u('prod', k, 0, 0), {len(PRODUCTS)})")),
        rows("cart_abandoners", "n = 1", "checkout_started", checkout_t,
             web("1", x="round(19 + u('val', k, 0, 0) * 480, 2)")),
        rows("repeat_link_clickers", "n = 0", "email_link_clicked", click_b, click(seq_b, "0")),
        rows("repeat_link_clickers", "n = 1", "email_link_clicked", click_day, click(seq_a, "0")),
        rows("multi_email_clickers_one_day", "n < 2", "email_link_clicked", click_day,
             click(f"CASE WHEN n = 0 THEN {seq_a} ELSE {seq_b} END", "n::INTEGER")),
        rows("product_viewers_no_purchase", "n < 2 + pick(u('np', k, 0, 0), 2)",
             "product_viewed", when(10), web(f"pick(u('prod', k, n, 0), {len(PRODUCTS)})")),
        rows("content_researchers", "n < 2", "content_downloaded", when(20),
             web("pick(u('topic', k, 0, 0), 4) * 3 + n::INTEGER")),
        rows("video_engaged", f"n <= ceil(0.8 * {video_len} / 15)", "video_content_playing",
             video_t, web(video, x="n * 15.0", y=video_len)),
        rows("recent_form_fill", "n = 0", "form_submitted", when(22 / 24),
             web(f"pick(u('form', k, 0, 0), {len(FORMS)})")),
        rows("case_study_repeat_visitors", "n < 3 + pick(u('np', k, 0, 0), 2)", "page",
             when(25), web(case_study, p3="0")),
        rows("icp_active", "n = 0", "page", when(20),
             web(str(page["/docs/getting-started"]), p3="0")),
    ]  # fmt: skip
    union = "\nUNION ALL".join(parts)
    con.execute(
        f"""
        INSERT INTO ev_raw
        SELECT 'sc', s.k, row_number() OVER (PARTITION BY s.k ORDER BY s.etype, s.n),
            s.etype::etype_t, s.ts_us,
            {normal_recv(run, "s.ts_us", "'sc'", "s.k", "s.n")},
            CASE WHEN s.web THEN (s.k - 1) * 3 END, s.k, s.p1, s.p2, s.p3, s.x, s.y, true
        FROM ({union}) s
        """
    )
