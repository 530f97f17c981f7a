"""Output tables: their names, column names and DuckDB types, and the event types."""

from __future__ import annotations

COMMON_COLUMNS: list[tuple[str, str]] = [
    ("id", "VARCHAR"),
    ("anonymous_id", "VARCHAR"),
    ("user_id", "VARCHAR"),
    ("timestamp", "TIMESTAMP"),
    ("received_at", "TIMESTAMP"),
]

EXTRA_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "pages": [
        ("path", "VARCHAR"),
        ("url", "VARCHAR"),
        ("title", "VARCHAR"),
        ("referrer", "VARCHAR"),
        ("context_campaign_source", "VARCHAR"),
        ("context_campaign_medium", "VARCHAR"),
        ("context_campaign_name", "VARCHAR"),
    ],
    "tracks": [("event", "VARCHAR"), ("event_text", "VARCHAR")],
    "identifies": [
        ("email", "VARCHAR"),
        ("first_name", "VARCHAR"),
        ("last_name", "VARCHAR"),
        ("phone", "VARCHAR"),
        ("company_name", "VARCHAR"),
        ("job_title", "VARCHAR"),
        ("country", "VARCHAR"),
    ],
    "product_viewed": [
        ("product_id", "VARCHAR"),
        ("category", "VARCHAR"),
        ("name", "VARCHAR"),
        ("price", "DOUBLE"),
    ],
    "checkout_started": [("order_id", "VARCHAR"), ("value", "DOUBLE"), ("currency", "VARCHAR")],
    "order_completed": [("order_id", "VARCHAR"), ("revenue", "DOUBLE"), ("currency", "VARCHAR")],
    "email_delivered": [("campaign_id", "VARCHAR"), ("email_id", "VARCHAR")],
    "email_opened": [("campaign_id", "VARCHAR"), ("email_id", "VARCHAR")],
    "email_link_clicked": [
        ("campaign_id", "VARCHAR"),
        ("email_id", "VARCHAR"),
        ("link_url", "VARCHAR"),
    ],
    "email_bounced": [
        ("campaign_id", "VARCHAR"),
        ("email_id", "VARCHAR"),
        ("bounce_type", "VARCHAR"),
    ],
    "unsubscribed": [("campaign_id", "VARCHAR")],
    "form_submitted": [("form_id", "VARCHAR"), ("form_name", "VARCHAR")],
    "content_downloaded": [
        ("content_id", "VARCHAR"),
        ("content_type", "VARCHAR"),
        ("topic", "VARCHAR"),
    ],
    "video_content_playing": [
        ("video_id", "VARCHAR"),
        ("position", "DOUBLE"),
        ("total_length", "DOUBLE"),
    ],
}

CRM_COLUMNS: list[tuple[str, str]] = [
    ("crm_contact_id", "VARCHAR"),
    ("email", "VARCHAR"),
    ("lifecycle_stage", "VARCHAR"),
    ("company_name", "VARCHAR"),
    ("industry", "VARCHAR"),
    ("employee_count", "INTEGER"),
    ("country", "VARCHAR"),
    ("created_at", "TIMESTAMP"),
    ("updated_at", "TIMESTAMP"),
]

#: Track events that have a table of their own (and appear in ``tracks`` too).
EVENT_TABLES: list[str] = [
    "product_viewed",
    "checkout_started",
    "order_completed",
    "email_delivered",
    "email_opened",
    "email_link_clicked",
    "email_bounced",
    "unsubscribed",
    "form_submitted",
    "content_downloaded",
    "video_content_playing",
]
#: Track events that appear only in ``tracks``.
TRACK_ONLY_EVENTS: list[str] = ["feature_used", "signed_in"]
EVENT_TYPES: list[str] = ["page", "identify", *EVENT_TABLES, *TRACK_ONLY_EVENTS]

TABLES: list[str] = ["pages", "tracks", "identifies", *EVENT_TABLES, "crm_contacts"]


def schema(table: str) -> list[tuple[str, str]]:
    """Column names and DuckDB types of one output table, in file order."""
    if table == "crm_contacts":
        return CRM_COLUMNS
    return COMMON_COLUMNS + EXTRA_COLUMNS.get(table, [])


def event_text(event: str) -> str:
    """``order_completed`` -> ``Order Completed`` (Segment's original event name)."""
    return " ".join(word.capitalize() for word in event.split("_"))
