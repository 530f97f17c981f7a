"""Web sessions (a device, a kind, a start) and their page and track events."""

from __future__ import annotations

import duckdb

from .catalogs import (
    CONTENTS,
    FORMS,
    KIND_CUMULATIVE,
    KIND_MEAN_EVENTS,
    KINDS,
    PAGE_INDEX,
    PRODUCTS,
    REFERRERS,
    URN_SLOTS,
    UTM_CAMPAIGNS,
    VIDEOS,
)
from .ev_raw import normal_recv
from .run import DAY, HOUR, MINUTE, SECOND, Run


def insert_late_identifier_sessions(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Base batch only: every device that identifies in an increment visits anonymously
    in the last days before end (home, then pricing), so the increment's identifies link
    base rows retroactively."""
    e = run.end_us
    con.execute(
        f"""
        INSERT INTO ev_raw
        SELECT 'sl', d, n, 'page',
            {e} - {DAY} - (u('late_s', d, 0, 0) * 4 * {DAY})::BIGINT + n * 2 * {MINUTE} AS ts,
            {normal_recv(run, "ts", "'sl'", "d", "n")},
            d, NULL,
            CASE WHEN n = 0 THEN {PAGE_INDEX["/"]} ELSE {PAGE_INDEX["/pricing"]} END,
            NULL, CASE WHEN n = 0 THEN NULL ELSE 0 END, NULL, NULL, false
        FROM devices CROSS JOIN range(2) r(n)
        WHERE late
        """
    )


def insert_sessions(
    con: duckdb.DuckDBPyConnection,
    run: Run,
    src: str,
    lo: int,
    hi: int,
    budget: int,
    *,
    late: bool = False,
) -> None:
    """Web sessions with timestamps in [lo, hi), about ``budget`` events in all.

    Single-session visitors whose first visit is in the period get their session; the
    other sessions pick a device by weight (intensity x overlap of its activity window).
    ``late`` rows are received in this batch's period whatever their timestamp.
    """
    if budget <= 0:
        return
    mean_events = sum(
        (hi_p - lo_p) * m
        for lo_p, hi_p, m in zip(
            [0.0, *KIND_CUMULATIVE], KIND_CUMULATIVE, KIND_MEAN_EVENTS, strict=False
        )
    )
    oneshots = "false" if late else f"oneshot AND a0 >= {lo} AND a0 < {hi}"
    row = con.execute(f"SELECT count(*) FROM devices WHERE {oneshots}").fetchone()
    oneshot_events = (int(row[0]) if row else 0) * mean_events
    # enough drawn sessions for the budget; when single-session visitors alone would
    # exceed half of it, both kinds get cut in proportion (sessions are cut in hash order)
    n_draws = int(max(budget / 2, budget - oneshot_events) / mean_events * 1.2) + 10
    means = "[" + ", ".join(str(m) for m in KIND_MEAN_EVENTS) + "]"
    kind_case = " ".join(f"WHEN ku < {c} THEN {i}" for i, c in enumerate(KIND_CUMULATIVE[:-1]))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE sess AS
        WITH w AS (
            SELECT d, greatest(0, round(intensity * 1000.0
                * (least(a1, {hi}) - greatest(a0, {lo})) / {DAY}))::BIGINT AS weight
            FROM devices WHERE NOT oneshot
        ), wc AS (
            SELECT d, sum(weight) OVER (ORDER BY d ROWS UNBOUNDED PRECEDING) - weight AS cum_lo
            FROM w WHERE weight > 0
        ), total AS (SELECT sum(weight) AS total FROM w),
        draws AS (
            SELECT range AS sk, floor(u('sdev', '{src}', range, 0) * total)::BIGINT AS r
            FROM range({n_draws}) CROSS JOIN total WHERE total > 0
        ), picked AS (
            SELECT 1 AS sub, draws.sk, wc.d FROM draws ASOF JOIN wc ON draws.r >= wc.cum_lo
            UNION ALL
            SELECT 0, d, d FROM devices WHERE {oneshots}
        ), timed AS (
            SELECT p.sub, p.sk, dv.*,
                CASE WHEN dv.oneshot THEN dv.a0
                     ELSE greatest(dv.a0, {lo}) + (u('start', '{src}', p.sk, p.sub)
                          * (least(dv.a1, {hi}) - greatest(dv.a0, {lo})))::BIGINT
                END AS start0,
                u('kind', '{src}', p.sk, p.sub) AS ku
            FROM picked p JOIN devices dv USING (d)
        ), diurnal AS (
            -- most night sessions (00-07 UTC) move to the working day
            SELECT *,
                CASE WHEN NOT oneshot AND start0 % {DAY} < 7 * {HOUR}
                          AND u('night', '{src}', sk, sub) < 0.7
                          AND start0 + 9 * {HOUR} < least(a1, {hi})
                     THEN start0 + 9 * {HOUR} ELSE start0 END AS start_us
            FROM timed
        ), kinds AS (
            SELECT *,
                CASE WHEN start_us >= t_id2 THEN own2 WHEN start_us >= t_id THEN own END
                    AS user_at_start,
                CASE {kind_case} ELSE {len(KINDS) - 1} END AS kind0
            FROM diurnal
        ), shaped AS (
            SELECT *,
                CASE WHEN kind0 = 4 AND user_at_start IS NULL THEN 0 ELSE kind0 END AS kind
            FROM kinds
        ), sized AS (
            SELECT *,
                least(60, 1 + floor(ln(1.0 - u('len', '{src}', sk, sub))
                    / ln(1.0 - 1.0 / {means}[kind + 1])))::BIGINT AS n_ev
            FROM shaped
        )
        SELECT '{src}' || CASE WHEN sub = 0 THEN 'o' ELSE '' END AS src, sk, d, own, own2,
            t_id, t_id2, blocked, clean, start_us, kind,
            n_ev,
            sum(n_ev) OVER (ORDER BY hash({run.seed}, '{src}', sk, sub), sub, sk
                            ROWS UNBOUNDED PRECEDING)::BIGINT - n_ev AS offs,
            20 * {SECOND} + (u('gap', '{src}', sk, sub) * 220 * {SECOND})::BIGINT AS gap_us,
            10 * {SECOND} + (u('iv', '{src}', sk, sub) * 20 * {SECOND})::BIGINT AS iv_us,
            pick(u('video', '{src}', sk, sub), {len(VIDEOS)}) AS vid,
            CASE WHEN u('utm', '{src}', sk, sub) < 0.2
                 THEN pick(u('utm_c', '{src}', sk, sub), {len(UTM_CAMPAIGNS)}) END AS utm,
            CASE WHEN u('ref', '{src}', sk, sub) < 0.45 THEN NULL
                 ELSE 1 + pick(u('ref_c', '{src}', sk, sub), {len(REFERRERS)}) END AS ref
        FROM sized
        """
    )
    _insert_session_events(con, run, budget, lo, hi, late)
    con.execute("DROP TABLE sess")


def _insert_session_events(
    con: duckdb.DuckDBPyConnection, run: Run, budget: int, lo: int, hi: int, late: bool
) -> None:
    """Expand sessions to events. Event k = 0 is the landing page; app sessions sign in
    at k = 1; video sessions play heartbeats until the video ends. A checkout at an odd
    k is followed by an order 60% of the time (about 30% of all checkouts), sent
    server-side (user_id only when the device is identified). Only odd checkouts
    convert so that an order never replaces a checkout that converts itself. Devices of
    contacts seeded as cart abandoners or product viewers never check out."""
    ts = f"""CASE WHEN kind = 5 AND k > 0 THEN start_us + 20 * {SECOND} + (k - 1) * iv_us
                 ELSE start_us + k * gap_us
                      + (u('jit', src, sk, k) * 0.5 * gap_us)::BIGINT END"""
    recv = (
        f"{run.end_us} + (u('late_recv', src, sk, k) * {run.increment_days * DAY})::BIGINT"
        if late
        else normal_recv(run, "ts_us", "src", "sk", "k")
    )
    con.execute(
        f"""
        INSERT INTO ev_raw
        WITH e AS (
            SELECT * EXCLUDE (n_ev, offs),
                unnest(generate_series(0, least(n_ev, {budget} - offs) - 1)) AS k
            FROM sess WHERE offs < {budget}
        ), e2 AS (
            SELECT e.*, {ts} AS ts_us,
                pick(u('ety', src, sk, k), {URN_SLOTS}) AS slot,
                pick(u('ety', src, sk, k - 1), {URN_SLOTS}) AS prev_slot,
                pick(u('pg', src, sk, k), {URN_SLOTS}) AS page_slot,
                vc.total_length AS vlen
            FROM e JOIN video_cat vc ON vc.idx = e.vid
        ), typed AS (
            SELECT e2.*, up.item AS page_i,
                CASE
                    WHEN k = 0 THEN 'page'
                    WHEN kind = 4 AND k = 1 THEN 'signed_in'
                    WHEN kind = 5 THEN CASE WHEN (k - 1) * iv_us + {SECOND} <= vlen * {SECOND}
                                            THEN 'video_content_playing' ELSE 'page' END
                    WHEN k % 2 = 0 AND kind <> 4 AND pe.etype = 'checkout_started'
                         AND NOT blocked AND u('conv', src, sk, k - 1) < 0.6
                        THEN 'order_completed'
                    -- seeded cart abandoners / product viewers never check out naturally
                    WHEN blocked AND ue.etype = 'checkout_started' THEN 'product_viewed'
                    ELSE ue.etype
                END AS etype
            FROM e2
            LEFT JOIN urn_event ue ON ue.u_kind = e2.kind AND ue.u_slot = e2.slot
            LEFT JOIN urn_event pe ON pe.u_kind = e2.kind AND pe.u_slot = e2.prev_slot
            LEFT JOIN urn_page up ON up.u_kind = e2.kind AND up.u_slot = e2.page_slot
            WHERE ts_us < {hi}
        ), who AS (
            SELECT *,
                CASE WHEN ts_us >= t_id2 THEN own2 WHEN ts_us >= t_id THEN own END AS usr0
            FROM typed
        )
        SELECT src, sk, k, etype::etype_t, ts_us, {recv},
            CASE WHEN etype = 'order_completed' AND usr0 IS NOT NULL THEN NULL ELSE d END,
            usr0,
            CASE etype
                WHEN 'page' THEN CASE WHEN kind = 5 AND k = 0
                                      THEN {PAGE_INDEX[f"/videos/{VIDEOS[0][0]}"]} + vid
                                      ELSE page_i END
                WHEN 'product_viewed' THEN pick(u('prod', src, sk, k), {len(PRODUCTS)})
                WHEN 'checkout_started' THEN k
                WHEN 'order_completed' THEN k - 1
                WHEN 'form_submitted' THEN pick(u('form', src, sk, k), {len(FORMS)})
                WHEN 'content_downloaded' THEN pick(u('content', src, sk, k), {len(CONTENTS)})
                WHEN 'video_content_playing' THEN vid
            END,
            CASE WHEN etype = 'page' AND k = 0 THEN utm END,
            CASE WHEN etype = 'page' THEN CASE WHEN k = 0 THEN ref ELSE 0 END END,
            CASE etype
                WHEN 'checkout_started' THEN round(19 + u('val', src, sk, k) * 480, 2)
                WHEN 'order_completed' THEN round(19 + u('val', src, sk, k - 1) * 480, 2)
                WHEN 'video_content_playing'
                    THEN (k - 1) * iv_us / {SECOND} + round(u('pos', src, sk, k) * 0.9, 3)
            END,
            CASE WHEN etype = 'video_content_playing' THEN vlen END,
            clean
        FROM who
        """
    )
