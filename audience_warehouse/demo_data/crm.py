"""The CRM export ``crm_contacts`` of a batch."""

from __future__ import annotations

import duckdb

from .catalogs import COMPANIES, COUNTRIES, FIRST_NAMES, INDUSTRIES, LAST_NAMES, LIFECYCLE_STAGES
from .run import DAY, HOUR, Run
from .sql import choice, sql_list


def create_crm(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """crm_contacts rows of this batch.

    Base: 70% of contacts with an email (the current email, written differently from the
    identifies; 20% of re-identified contacts still have the old one), people the
    warehouse never saw, and 1% stale duplicates of the same email with an older
    updated_at (another crm_contact_id). crm_contact_id is a number: contact k has
    k * 10 + 1, its stale duplicate k * 10 + 7. Seeded icp_active contacts are ICP
    (Software/Financial Services/Healthcare, 50-5000 employees). Increment: 3% of the
    rows re-exported with a later lifecycle stage and updated_at in the new period.
    """
    s, e = run.start_us, run.end_us
    industries = sql_list(INDUSTRIES)
    stages = sql_list(LIFECYCLE_STAGES)
    n = run.contacts
    con.execute(
        f"""
        CREATE TEMP TABLE crm_people AS
        WITH m AS (
            SELECT (k * 10 + 1)::VARCHAR AS crm_contact_id, k,
                reid AND u('crm_old', k, 0, 0) < 0.8 AS new_email,
                scenario, country, local_disp, stem1, tld1, stem2, tld2, company, company2
            FROM contacts WHERE in_crm
        )
        SELECT crm_contact_id, k AS key,
            email_variant(local_disp, CASE WHEN new_email THEN stem2 ELSE stem1 END,
                CASE WHEN new_email THEN tld2 ELSE tld1 END,
                CASE WHEN u('crm_v', k, 0, 0) < 0.4 THEN 0
                     ELSE 1 + pick(u('crm_v2', k, 0, 0), 4) END) AS email,
            CASE WHEN new_email THEN company2 ELSE company END AS company_name,
            scenario = 'icp_active' AS icp, country
        FROM m
        UNION ALL
        SELECT (({n} + 1 + range) * 10 + 3)::VARCHAR, -1 - range,
            email_variant({choice(FIRST_NAMES, "u('xf', range, 0, 0)")}
                || '.' || {choice(LAST_NAMES, "u('xl', range, 0, 0)")}
                || '.crm' || range::VARCHAR,
                {choice([c[1] for c in COMPANIES], "u('xc', range, 0, 0)")},
                {choice([c[2] for c in COMPANIES], "u('xc', range, 0, 0)")},
                pick(u('xv', range, 0, 0), 5)),
            {choice([c[0] for c in COMPANIES], "u('xc', range, 0, 0)")},
            false, {choice(COUNTRIES, "u('xn', range, 0, 0)")}
        FROM range((SELECT round(0.15 * count(*))::BIGINT FROM contacts WHERE in_crm))
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE crm_rows AS
        WITH p AS (
            SELECT *,
                CASE WHEN icp THEN pick(u('ind', key, 0, 0), 3)
                     ELSE pick(u('ind', key, 0, 0), {len(INDUSTRIES)}) END AS industry_i,
                CASE WHEN icp THEN round(exp(ln(50) + u('emp', key, 0, 0) * ln(100)))
                     WHEN u('emp_null', key, 0, 0) < 0.08 THEN NULL
                     ELSE round(exp(u('emp', key, 0, 0) * ln(20000))) END AS employees,
                pick(pow(u('stage', key, 0, 0), 1.6), {len(LIFECYCLE_STAGES)}) AS stage_i,
                {s} - (u('created', key, 0, 0) * 400 * {DAY})::BIGINT AS created_us
            FROM crm_people
        )
        SELECT *,
            created_us + (u('updated', key, 0, 0) * ({e - HOUR} - created_us))::BIGINT
                AS updated_us
        FROM p
        """
    )

    def select(stage: str, updated: str) -> str:
        return f"""
            crm_contact_id, email, {stages}[{stage} + 1] AS lifecycle_stage, company_name,
            {industries}[industry_i + 1] AS industry, employees::INTEGER AS employee_count,
            country, make_timestamp(created_us) AS created_at,
            make_timestamp({updated}) AS updated_at"""

    if run.is_base:
        con.execute(
            f"""
            CREATE TABLE out_crm_contacts AS
            SELECT {select("stage_i", "updated_us")} FROM crm_rows
            UNION ALL
            SELECT (key * 10 + 7)::VARCHAR, email,
                {stages}[greatest(0, stage_i - 1) + 1], company_name,
                {industries}[pick(u('dup_ind', key, 0, 0), {len(INDUSTRIES)}) + 1],
                employees::INTEGER, country, make_timestamp(created_us),
                make_timestamp(created_us + (u('dup_upd', key, 0, 0)
                    * (updated_us - created_us))::BIGINT)
            FROM crm_rows WHERE key > 0 AND NOT icp AND u('crm_dup', key, 0, 0) < 0.01
            """
        )
    else:
        updated = f"{e} + (u('upd_t', key, 0, 0) * {run.increment_days * DAY})::BIGINT"
        con.execute(
            f"""
            CREATE TABLE out_crm_contacts AS
            SELECT {select(f"least(stage_i + 1, {len(LIFECYCLE_STAGES) - 1})", updated)}
            FROM crm_rows WHERE u('crm_upd', key, 0, 0) < 0.03
            """
        )
    con.execute("DROP TABLE crm_people")
    con.execute("DROP TABLE crm_rows")
