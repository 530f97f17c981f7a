"""A short, human summary of what the warehouse holds after a build."""

from __future__ import annotations

from pathlib import Path

import duckdb


def _table_exists(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    query = "select count(*) from information_schema.tables where table_name = ?"
    row = connection.execute(query, [name]).fetchone()
    return bool(row and row[0])


def summarize(warehouse_path: Path) -> str:
    """Contacts, intent stages, suppression, quarantine and (when built) segment sizes."""
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        contacts, with_email, suppressed, as_of = connection.execute(
            """
            select count(*), count(email), count(*) filter (where is_email_suppressed), max(as_of)
            from contact_features
            """
        ).fetchone()
        lines = [
            f"as_of: {as_of}",
            f"contacts: {contacts} ({with_email} with an email, {suppressed} email-suppressed)",
            "intent stages:",
        ]
        stages = connection.execute(
            """
            select intent_stage, count(*) from contact_features
            group by intent_stage
            order by array_position(['ready', 'evaluating', 'researching', 'dormant'], intent_stage)
            """
        ).fetchall()
        lines += [f"  {stage:<12} {count:>8}" for stage, count in stages]
        quarantined = connection.execute(
            """
            select quarantine_reason, count(*) from quarantined_events
            group by quarantine_reason order by 2 desc
            """
        ).fetchall()
        total = sum(count for _, count in quarantined)
        lines.append(f"quarantined raw rows: {total}")
        lines += [f"  {reason:<44} {count:>6}" for reason, count in quarantined]
        crm_rejected = connection.execute(
            "select count(*) from quarantined_crm_contacts"
        ).fetchone()
        lines.append(f"quarantined CRM rows: {crm_rejected[0]}")
        if _table_exists(connection, "segments"):
            lines.append("segments (members, entered / exited since the last run, health):")
            rows = connection.execute(
                """
                select segment_name, member_count, entered_since_last_run,
                    exited_since_last_run, is_healthy, problems
                from segments order by segment_name
                """
            ).fetchall()
            for name, count, entered, exited, healthy, problems in rows:
                moved = "" if entered is None else f"+{entered} / -{exited}"
                health = "ok" if healthy else f"UNHEALTHY: {problems}" if healthy is False else ""
                lines.append(f"  {name:<30} {count:>7}  {moved:<13} {health}")
        else:
            lines.append("segments: none built yet")
    return "\n".join(lines)
