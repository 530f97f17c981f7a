"""Email: the campaign schedule, its lookup tables, and deliveries, bounces, opens, clicks
and unsubscribes of every campaign email."""

from __future__ import annotations

import random
from dataclasses import dataclass

import duckdb

from .catalogs import EMAIL_LINKS, EMAIL_SEEDED, PRICING_LINK
from .ev_raw import normal_recv
from .run import DAY, HOUR, MINUTE, SECOND, Run
from .sql import table_from_rows


@dataclass(frozen=True)
class Emails:
    emails: list[tuple]  # seq, campaign_id, email_id, send_us, n_links
    links: list[tuple]  # seq, link_no, url
    n_base: int  # emails sent before end (seq 1..n_base)
    seq_a: int  # last email of the last campaign before end
    seq_b: int  # last email of the campaign before that one


def email_schedule(run: Run) -> Emails:
    """Campaigns of 1-3 emails sent about weekly, the last one 2 days before ``end``, and
    a campaign of two emails after it (sent 1 and 4 days after ``end``, so increments
    longer than a day see a send)."""
    rng = random.Random(f"{run.seed}:emails")
    n_base = min(40, max(6, round(run.days / 7)))
    sizes: list[int] = []
    while sum(sizes) < n_base:
        sizes.append(min(rng.choice([1, 2, 2, 3]), n_base - sum(sizes)))
    step_us = max(DAY // 4, (run.days - 4) * DAY // n_base)
    sends = [run.end_us - 2 * DAY - (n_base - seq) * step_us for seq in range(1, n_base + 1)]
    sends += [run.end_us + DAY, run.end_us + 4 * DAY]
    sizes.append(2)
    emails: list[tuple] = []
    links: list[tuple] = []
    seq = 0
    for campaign, size in enumerate(sizes, start=1):
        for j in range(1, size + 1):
            seq += 1
            t = sends[seq - 1]
            send = t - t % DAY + 9 * HOUR + (seq % 3) * 30 * MINUTE
            urls = [PRICING_LINK, *rng.sample(EMAIL_LINKS, rng.choice([1, 2, 2, 3]))]
            emails.append((seq, f"c_{campaign:03d}", f"e_{campaign:03d}_{j}", send, len(urls)))
            links += [(seq, n, url) for n, url in enumerate(urls)]
    return Emails(emails, links, n_base, seq_a=n_base, seq_b=sum(sizes[:-2]))


def create_email_catalog(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    schedule = email_schedule(run)
    table_from_rows(
        con, "email_cat", ["seq", "campaign_id", "email_id", "send_us", "n_links"],
        schedule.emails,
    )  # fmt: skip
    table_from_rows(con, "email_links", ["seq", "link_no", "url"], schedule.links)


def _email_recipient_rate(con: duckdb.DuckDBPyConnection, run: Run) -> float:
    """Share of subscribed contacts per email so that email events are ~15% of events."""
    row = con.execute("SELECT count(*) FROM contacts WHERE has_email AND subscribed").fetchone()
    subscribed = int(row[0]) if row else 0
    n_emails = email_schedule(run).n_base
    target_deliveries = 0.15 * run.events / 1.6
    return min(1.0, target_deliveries / max(1, subscribed * n_emails))


def insert_email_events(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Deliveries, bounces, opens, clicks and unsubscribes of every campaign email.

    Generated for the whole universe and kept when they fall in this batch's period, so
    opens of the last emails spill into the increment. k1 = contact, k2 = seq * 10 + code.
    A hard bounce or an unsubscribe stops further email to that contact; churned contacts
    stop engaging at their churn time.
    """
    lo, hi = run.period
    rate = _email_recipient_rate(con, run)
    n_emails = email_schedule(run).n_base
    con.execute(
        f"""
        CREATE TEMP TABLE rcpt AS
        WITH r AS (
            SELECT c.k, c.rnk, c.scenario, c.p_open, c.churn_us, m.seq, m.send_us, m.n_links,
                u('bounce', c.k, m.seq, 0) AS ub, u('unsub', c.k, m.seq, 0) AS uu
            FROM contacts c CROSS JOIN email_cat m
            WHERE c.has_email AND c.subscribed
              AND (c.scenario IN {tuple(EMAIL_SEEDED)} OR u('rcpt', c.k, m.seq, 0) < {rate})
        ), flagged AS (
            SELECT *,
                CASE WHEN scenario = 'email_suppressed' THEN seq = {n_emails} AND rnk % 2 = 0
                     WHEN scenario <> 'none' THEN false ELSE ub < 0.006 END AS hard,
                scenario = 'none' AND ub >= 0.006 AND ub < 0.02 AS soft
            FROM r
        ), flagged2 AS (
            SELECT *,
                CASE WHEN scenario = 'email_suppressed' THEN seq = {n_emails} AND rnk % 2 = 1
                     WHEN scenario <> 'none' THEN false
                     ELSE NOT soft AND NOT hard AND uu < 0.005 END AS unsub
            FROM flagged
        ), stops AS (
            SELECT k, min(seq) AS stop_seq FROM flagged2 WHERE hard OR unsub GROUP BY k
        ), kept AS (
            SELECT f.*,
                f.send_us + (u('deliver_t', f.k, f.seq, 0) * 30 * {MINUTE})::BIGINT AS deliver_us
            FROM flagged2 f LEFT JOIN stops USING (k)
            WHERE stops.stop_seq IS NULL OR f.seq <= stops.stop_seq
        )
        SELECT *,
            deliver_us + 2 * {MINUTE} + CASE WHEN scenario = 'engaged_email_readers'
                THEN (u('open_t', k, seq, 0) * 6 * {HOUR})::BIGINT
                ELSE least(10 * {DAY}, (expo(u('open_t', k, seq, 0)) * 8 * {HOUR})::BIGINT)
            END AS open_us,
            NOT hard AND NOT soft AND u('open', k, seq, 0) < p_open AS opened
        FROM kept
        """
    )
    con.execute(
        f"""
        INSERT INTO ev_raw
        WITH ev AS (
            SELECT k, seq, 1 AS code, 'email_delivered' AS etype, deliver_us AS ts_us,
                NULL::INTEGER AS p2, NULL::INTEGER AS p3, scenario
            FROM rcpt WHERE NOT hard AND NOT soft
            UNION ALL
            SELECT k, seq, 2, 'email_bounced', deliver_us, NULL, hard::INTEGER, scenario
            FROM rcpt WHERE hard OR soft
            UNION ALL
            SELECT k, seq, 3, 'email_opened', open_us, NULL, NULL, scenario
            FROM rcpt WHERE opened AND open_us < churn_us
            UNION ALL
            SELECT k, seq, 4, 'email_link_clicked',
                open_us + 10 * {SECOND} + (u('click_t', k, seq, 0) * 5 * {MINUTE})::BIGINT,
                pick(u('link', k, seq, 0), n_links), NULL, scenario
            FROM rcpt WHERE opened AND open_us < churn_us AND u('click', k, seq, 0) < 0.22
            UNION ALL
            SELECT k, seq, 5, 'unsubscribed',
                deliver_us + {HOUR} + (u('unsub_t', k, seq, 0) * 23 * {HOUR})::BIGINT,
                NULL, NULL, scenario
            FROM rcpt WHERE unsub AND NOT hard AND NOT soft AND deliver_us + {DAY} < churn_us
        )
        SELECT 'em', k, seq * 10 + code, etype::etype_t, ts_us,
            {normal_recv(run, "ts_us", "'em'", "k", "seq * 10 + code")},
            NULL, k,
            CASE WHEN etype = 'unsubscribed' AND scenario = 'none'
                  AND u('unsub_campaign', k, seq, 0) < 0.2 THEN NULL ELSE seq END,
            p2, p3, NULL, NULL, scenario <> 'none'
        FROM ev
        WHERE ts_us >= {lo} AND ts_us < {hi}
        """
    )
    con.execute("DROP TABLE rcpt")
