"""The universe of people: contacts, their devices and anonymous-only visitors (the same
for every batch of the same arguments), and the identifies that link them."""

from __future__ import annotations

import duckdb

from .catalogs import (
    COMPANIES,
    COUNTRIES,
    EMAIL_SEEDED,
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
    SEEDED_SEGMENTS,
)
from .ev_raw import normal_recv
from .run import DAY, HOUR, Run
from .seeds import ranked_contacts_sql
from .sql import choice, sql_list


def create_contacts(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """One row per known contact with person traits, email pieces and behaviour flags.

    ``scenario`` names the reference segment a contact is seeded into ('none' if any):
    about 1% of contacts per seeded segment.
    """
    s, e = run.start_us, run.end_us
    n_companies = len(COMPANIES)
    churn_hi = e - 92 * DAY
    con.execute(
        f"""
        CREATE TABLE contacts AS
        WITH ranked AS ({ranked_contacts_sql(run.contacts, run.seed)}
        ), base AS (
            SELECT k, rnk,
                CASE WHEN rnk % 100 < {len(SEEDED_SEGMENTS)}
                     THEN {sql_list(SEEDED_SEGMENTS)}[rnk % 100 + 1] ELSE 'none' END
                    AS scenario,
                rnk % 500 IN (14, 15) AS shared_inbox,
                pick(u('first', k, 0, 0), {len(FIRST_NAMES)}) AS first_i,
                pick(u('last', k, 0, 0), {len(LAST_NAMES)}) AS last_i,
                pick(u('company', k, 0, 0), {n_companies}) AS company_i,
                pick(u('company2', k, 0, 0), {n_companies}) AS company2_i
            FROM ranked
        ), flags AS (
            SELECT *,
                scenario = 'inactive_90d' OR (scenario = 'none' AND u('churn', k, 0, 0) < 0.3)
                    AS churned,
                scenario <> 'none' OR u('has_email', k, 0, 0) < 0.9 AS has_email,
                CASE WHEN shared_inbox THEN (rnk // 500) % {n_companies} ELSE company_i END
                    AS comp_i
            FROM base
        )
        SELECT k, rnk, scenario, churned, has_email, shared_inbox,
            CASE WHEN NOT churned THEN {run.far_us}
                 WHEN {churn_hi} > {s} THEN {s} + (u('churn_t', k, 0, 0) * ({churn_hi - s}))::BIGINT
                 ELSE {churn_hi} END AS churn_us,
            scenario IN {tuple(EMAIL_SEEDED)} OR u('sub', k, 0, 0) < 0.8 AS subscribed,
            CASE WHEN scenario = 'engaged_email_readers' THEN 1.0
                 ELSE 0.15 + 0.6 * u('p_open', k, 0, 0) END AS p_open,
            scenario IN ('cart_abandoners', 'product_viewers_no_purchase') AS blocked,
            1 + (u('ndev', k, 0, 0) < 0.35)::INT + (u('ndev', k, 0, 0) < 0.12)::INT AS n_dev,
            scenario = 'none' AND NOT shared_inbox AND has_email AND u('reid', k, 0, 0) < 0.08
                AS reid,
            {sql_list(FIRST_NAMES)}[first_i + 1] AS first_name,
            {sql_list(LAST_NAMES)}[last_i + 1] AS last_name,
            CASE WHEN shared_inbox THEN 'Info'
                 ELSE {sql_list(FIRST_NAMES)}[first_i + 1] || '.'
                      || {sql_list(LAST_NAMES)}[last_i + 1] || k::VARCHAR END AS local_disp,
            {sql_list([c[0] for c in COMPANIES])}[comp_i + 1] AS company,
            {sql_list([c[1] for c in COMPANIES])}[comp_i + 1] AS stem1,
            {sql_list([c[2] for c in COMPANIES])}[comp_i + 1] AS tld1,
            {sql_list([c[0] for c in COMPANIES])}[company2_i + 1] AS company2,
            {sql_list([c[1] for c in COMPANIES])}[company2_i + 1] AS stem2,
            {sql_list([c[2] for c in COMPANIES])}[company2_i + 1] AS tld2,
            {choice(JOB_TITLES, "u('job', k, 0, 0)")} AS job_title,
            {choice(COUNTRIES, "u('country', k, 0, 0)")} AS country,
            CASE WHEN u('phone', k, 0, 0) < 0.6 THEN printf('+1 555 %03d %04d',
                pick(u('phone1', k, 0, 0), 1000), pick(u('phone2', k, 0, 0), 10000)) END AS phone,
            has_email AND (scenario = 'icp_active' OR u('crm', k, 0, 0) < 0.7) AS in_crm
        FROM flags
        """
    )


def create_devices(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Devices (anonymous ids) of contacts and of anonymous-only visitors.

    Columns: d (device number), own/own2 (contact numbers; own2 for a shared computer),
    a0/a1 (activity window), t_id/t_id2 (when it identifies as own/own2), late (identifies
    only in an increment), oneshot (single-session visitor), intensity (session weight).
    """
    s, e, far = run.start_us, run.end_us, run.far_us
    n = run.contacts
    # late identifiers identify in the week after end, 30% of them on the first day
    late_tid = (
        f"{e} + CASE WHEN late_frac < 0.3 THEN (late_frac / 0.3 * {DAY})::BIGINT "
        f"ELSE {DAY} + ((late_frac - 0.3) / 0.7 * 6 * {DAY})::BIGINT END"
    )
    con.execute(
        f"""
        CREATE TABLE contact_devices AS
        WITH cd AS (
            SELECT (c.k - 1) * 3 + j AS d, c.k AS own, j, c.scenario, c.churned, c.churn_us,
                   c.blocked
            FROM contacts c CROSS JOIN range(3) r(j)
            WHERE j < c.n_dev
        ), windows AS (
            SELECT *,
                CASE
                    WHEN scenario NOT IN ('none', 'inactive_90d')
                        THEN {s} - (u('a0', d, 0, 0) * 30 * {DAY})::BIGINT
                    WHEN churned THEN {s} - 60 * {DAY}
                        + (u('a0', d, 0, 0) * greatest(0, churn_us - ({s} - 60 * {DAY})))::BIGINT
                    ELSE {s} - 60 * {DAY} + (u('a0', d, 0, 0) * ({run.days} + 59) * {DAY})::BIGINT
                END AS a0,
                CASE WHEN churned THEN churn_us ELSE {far} END AS a1,
                scenario = 'none' AND NOT churned AND u('late', d, 0, 0) < 0.06 AS late,
                u('late_t', d, 0, 0) AS late_frac,
                2.0 * least(25.0, pow(1.0 - u('int', d, 0, 0), -0.7)) AS intensity
            FROM cd
        ), id_window AS (
            SELECT *,
                greatest(a0, {s}) AS lo0, least(a1, {e}) AS hi0
            FROM windows
        ), id_window2 AS (
            SELECT * EXCLUDE (lo0, hi0),
                CASE WHEN hi0 - lo0 < {HOUR} THEN {s} ELSE lo0 END AS lo,
                CASE WHEN hi0 - lo0 < {HOUR} THEN {s + DAY} ELSE hi0 END AS hi
            FROM id_window
        )
        SELECT d, own, j, scenario, churned, blocked, a0, a1, late, intensity,
            scenario <> 'none' AS clean,
            CASE
                WHEN late THEN {late_tid}
                WHEN scenario <> 'none' OR u('id_early', d, 0, 0) < 0.4
                    THEN lo + (u('t_id', d, 0, 0) * least({DAY}, hi - lo))::BIGINT
                ELSE lo + (pow(u('t_id', d, 0, 0), 2) * 0.8 * (hi - lo))::BIGINT
            END AS t_id
        FROM id_window2
        """
    )
    con.execute(
        f"""
        CREATE TABLE devices AS
        WITH shared AS (
            SELECT cd.d, c2.k AS own2,
                cd.t_id + ((0.2 + 0.7 * u('t_id2', cd.d, 0, 0)) * ({e} - cd.t_id))::BIGINT
                    AS t_id2
            FROM contact_devices cd
            JOIN contacts c2
              ON c2.k = 1 + pick(u('own2', cd.d, 0, 0), {n})
             AND c2.k <> cd.own AND c2.scenario = 'none' AND NOT c2.churned
            WHERE cd.scenario = 'none' AND NOT cd.churned AND NOT cd.late
              AND cd.t_id < {e} AND u('shared', cd.d, 0, 0) < 0.03
        ), anon AS (
            SELECT {3 * n} + range AS d, u('oneshot', {3 * n} + range, 0, 0) < 0.6 AS oneshot
            FROM range({round(2.5 * n)})
        ), anon_windows AS (
            SELECT d, oneshot,
                CASE WHEN oneshot
                     THEN {s} + (u('a0', d, 0, 0) * ({run.days} + 30) * {DAY})::BIGINT
                     ELSE {s} - 60 * {DAY} + (u('a0', d, 0, 0) * ({run.days} + 59) * {DAY})::BIGINT
                END AS a0,
                0.6 * least(25.0, pow(1.0 - u('int', d, 0, 0), -0.7)) AS intensity
            FROM anon
        )
        SELECT cd.d, cd.own, cd.j, sh.own2, cd.a0, cd.a1, cd.t_id, sh.t_id2, cd.late,
            false AS oneshot, cd.intensity, cd.blocked, cd.clean
        FROM contact_devices cd LEFT JOIN shared sh USING (d)
        UNION ALL
        SELECT d, NULL, NULL, NULL, a0,
            CASE WHEN oneshot THEN a0 + {HOUR}
                 ELSE a0 + {DAY} + (expo(u('span', d, 0, 0)) * 40 * {DAY})::BIGINT END,
            NULL, NULL, false, oneshot, intensity, false, false
        FROM anon_windows
        """
    )
    con.execute("DROP TABLE contact_devices")


def insert_identifies(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """identifies: each contact device at t_id, shared devices again at t_id2 (second
    contact), a re-identify with a changed email, and some server-side identifies.

    p1 says which email (1 = first, 2 = the changed one), p2 how it is written.
    """
    lo, hi = run.period
    variant = (
        "CASE WHEN u('email_v', src, k1, k2) < 0.7 THEN 0 "
        "ELSE 1 + pick(u('email_v2', src, k1, k2), 4) END"
    )
    con.execute(
        f"""
        INSERT INTO ev_raw
        WITH ids AS (
            SELECT 'id' AS src, d AS k1, 1 AS k2, t_id AS ts_us, d AS dev, own AS usr,
                   1 AS p1, clean
            FROM devices WHERE own IS NOT NULL
            UNION ALL
            SELECT 'id', d, 2, t_id2, d, own2, 1, false FROM devices WHERE own2 IS NOT NULL
            UNION ALL
            SELECT 'rid', c.k, 1,
                dv.t_id + ((0.3 + 0.6 * u('reid_t', c.k, 0, 0)) * ({run.end_us} - dv.t_id))::BIGINT,
                dv.d, c.k, 2, false
            FROM contacts c JOIN devices dv ON dv.own = c.k AND dv.j = 0
            WHERE c.reid AND dv.t_id < {run.end_us}
            UNION ALL
            SELECT 'sid', c.k, 1,
                dv.t_id + (u('sid_t', c.k, 0, 0) * ({run.end_us} - dv.t_id))::BIGINT,
                NULL, c.k, 1, false
            FROM contacts c JOIN devices dv ON dv.own = c.k AND dv.j = 0
            WHERE NOT c.reid AND dv.t_id < {run.end_us} AND u('sid', c.k, 0, 0) < 0.1
        )
        SELECT src, k1, k2, 'identify', ts_us, {normal_recv(run, "ts_us", "src", "k1", "k2")},
            dev, usr, p1, {variant}, NULL, NULL, NULL, clean
        FROM ids
        WHERE ts_us >= {lo} AND ts_us < {hi}
        """
    )
