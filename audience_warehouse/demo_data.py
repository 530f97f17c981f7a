"""Deterministic demo data in the raw Segment layout (see the raw-events contract).

``python -m audience_warehouse.demo_data --out data/raw --contacts 2000 --events 200000``
writes one Parquet file per table folder (``<out>/<table>/base.parquet``). With
``--batch increment`` it adds ``<out>/<table>/increment-<end>.parquet`` next to it: the
next load of the same universe. ``generate()`` is the Python API.

Everything is generated inside DuckDB SQL from ``range()`` and a hash-based pseudo-random
number ``u(salt, a, b, c)`` = ``hash(seed, salt, a, b, c)`` mapped to [0, 1), so the same
arguments give the same files whatever the thread count (with the same DuckDB version),
and 10 million events take well under a minute on 2 cores.

Shape of the data (base period ``[end - days, end)``):

* Universe. ``contacts`` known people ``u_000001``..; each has 1-3 devices (anonymous
  ids ``a_<16 hex>``). About 2.5x as many anonymous-only visitors, 60% of them seen in
  one session only. About 30% of contacts churned: their last action is more than 90
  days before ``end``. A contact device identifies once (the identifies row carries both
  ids; before it the device's events carry only ``anonymous_id``, after it both). About
  3% of contact devices are shared computers that identify later as a second contact;
  about 6% identify only in the week after ``end`` (30% of them on the first day), so
  their base rows are anonymous and get linked retroactively by an increment. About 8%
  of contacts re-identify later with a new email at a new company; a few pairs of
  contacts share a team inbox email; about 10% of contacts also get a server-side
  identify (``user_id`` only).
* Web sessions of a kind (browse, research, shop, evaluate, app, video), several events
  minutes apart, mostly in working hours: pages (``/pricing``, ``/demo``,
  ``/case-studies/..``, ``/blog/pricing-tips``, ``/pricingx``, ...; landing pages may
  carry utm context), product views, checkouts (about 30% followed within minutes by an
  ``order_completed`` sent server-side, with only ``user_id`` once the device is
  identified), form fills, content downloads, video heartbeats (every 10-30 s, position
  increasing), ``feature_used`` and ``signed_in`` (in ``tracks`` only).
* Email: campaigns ``c_001``.. of 1-3 emails ``e_001_1``.. sent about weekly until 2 days
  before ``end`` (and a campaign after it, for increments), delivered to subscribed
  contacts (``user_id`` only): opens, link clicks (the pricing link is in every email),
  hard/soft bounces and unsubscribes (after which a contact gets no more email).
* Reference-segment seeds: about 1% of contacts per reference segment get the behaviour
  that segment looks for, between ``end - 30 days`` and ``end - 12 hours``, so every
  segment has members for an ``as_of`` in ``[end - 12h, end)``.
* Dirt (about 1.5%): duplicate message ids (identical payload, later ``received_at``),
  late arrivals (``received_at`` hours to days after ``timestamp``) and quarantinable
  rows (null id, no id at all, null timestamp, timestamp 2-22 days after
  ``received_at``). Normal rows arrive seconds to minutes after they happen. Every base
  row is received before ``end``.
* CRM export ``crm_contacts``: 70% of contacts with an email, the email written
  differently (case, spaces), plus people never seen and a few duplicate emails.

Increment batch (period ``[end, end + increment_days)``, every ``received_at`` in it):
new sessions and email engagement, late rows whose timestamps are in the last 5 days
before ``end``, a few re-sent base rows (same id and payload), identifies that link
devices seen anonymously in the base batch, new quarantinable rows and CRM updates.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# ---------------------------------------------------------------------------------------
# Output schemas
# ---------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------
# Catalogs (small, fixed)
# ---------------------------------------------------------------------------------------

#: Session kinds; weights below are given per kind in this order.
KINDS = ["browse", "research", "shop", "evaluate", "app", "video"]
#: Cumulative probability of each session kind.
KIND_CUMULATIVE = [0.42, 0.56, 0.74, 0.86, 0.95, 1.0]
#: Mean number of events per session, per kind.
KIND_MEAN_EVENTS = [4.0, 5.0, 6.0, 5.0, 7.0, 14.0]

BLOG_SLUGS = [
    "pricing-tips",
    "what-is-a-cdp",
    "audience-segmentation-101",
    "rfm-analysis",
    "email-deliverability",
    "first-party-data",
    "cart-abandonment-playbook",
    "b2b-intent-signals",
    "churn-prediction",
    "attribution-models",
]
CUSTOMERS = ["acme-retail", "globex-bank", "initech-health", "umbrella-logistics", "hooli-apps"]
DOCS = [
    "getting-started",
    "api/authentication",
    "api/events",
    "integrations/segment",
    "segments/definitions",
]
PRODUCTS = [
    # product_id, category, name, price
    ("p_001", "Books", "Segmentation Playbook", 29.0),
    ("p_002", "Books", "The Intent Data Handbook", 35.0),
    ("p_003", "Books", "Email That Converts", 24.0),
    ("p_004", "Courses", "SQL for Marketers", 149.0),
    ("p_005", "Courses", "dbt Fundamentals Workshop", 249.0),
    ("p_006", "Courses", "Attribution Masterclass", 199.0),
    ("p_007", "Courses", "Lifecycle Marketing Bootcamp", 399.0),
    ("p_008", "Templates", "Lead Scoring Template", 49.0),
    ("p_009", "Templates", "Campaign Calendar", 19.0),
    ("p_010", "Templates", "Churn Dashboard Kit", 79.0),
    ("p_011", "Templates", "ICP Worksheet", 15.0),
    ("p_012", "Merch", "Warehouse Hoodie", 59.0),
    ("p_013", "Merch", "Segment-of-One Mug", 14.0),
    ("p_014", "Merch", "Sticker Pack", 6.0),
    ("p_015", "Support Plans", "Priority Support (monthly)", 299.0),
    ("p_016", "Support Plans", "Onboarding Package", 990.0),
]
FORMS = [
    ("f_demo_request", "Demo request"),
    ("f_contact_sales", "Contact sales"),
    ("f_newsletter", "Newsletter signup"),
    ("f_webinar", "Webinar registration"),
    ("f_trial", "Free trial signup"),
]
CONTENT_TOPICS = ["segmentation", "attribution", "data-privacy", "personalization"]
CONTENT_TYPES = ["ebook", "whitepaper", "report"]
#: content_id, content_type, topic: three contents per topic, ordered by topic.
CONTENTS = [
    (f"ct_{t * 3 + i + 1:02d}", CONTENT_TYPES[i], topic)
    for t, topic in enumerate(CONTENT_TOPICS)
    for i in range(3)
]
VIDEOS = [
    # video_id, title (page), total_length in seconds
    ("v_product_tour", "Product tour", 180.0),
    ("v_customer_globex", "Customer story: Globex", 240.0),
    ("v_segments_101", "Webinar: Segmentation 101", 1800.0),
    ("v_audience_sync", "How audiences sync", 120.0),
    ("v_release_notes", "Release highlights", 300.0),
    ("v_pricing_explained", "Pricing explained", 150.0),
]
UTM_CAMPAIGNS = [
    ("google", "cpc", "brand_search"),
    ("google", "cpc", "competitor_terms"),
    ("linkedin", "paid_social", "abm_q4"),
    ("newsletter", "email", "monthly_digest"),
    ("partner", "referral", "partner_launch"),
    ("facebook", "paid_social", "retargeting"),
]
REFERRERS = [
    "https://www.google.com/",
    "https://www.linkedin.com/",
    "https://news.ycombinator.com/",
    "https://www.bing.com/",
    "https://t.co/",
]
SITE = "https://www.example.com"
PRICING_LINK = f"{SITE}/pricing"
EMAIL_LINKS = [
    f"{SITE}/demo",
    f"{SITE}/case-studies/globex-bank",
    f"{SITE}/blog/pricing-tips",
    f"{SITE}/blog/audience-segmentation-101",
    f"{SITE}/product/p_004",
    f"{SITE}/webinars/segmentation-101",
]

FIRST_NAMES = [
    "Jane", "John", "Maria", "Ahmed", "Li", "Sofia", "Lucas", "Emma", "Noah", "Olivia",
    "Liam", "Ava", "Mateo", "Mia", "Elijah", "Amara", "Yuki", "Priya", "Diego", "Chloe",
    "Hannah", "Omar", "Leah", "Ivan", "Zoe", "Kofi", "Nina", "Felix", "Sara", "Tomas",
]  # fmt: skip
LAST_NAMES = [
    "Doe", "Smith", "Garcia", "Khan", "Wei", "Rossi", "Muller", "Brown", "Jones", "Silva",
    "Kim", "Nguyen", "Lopez", "Martin", "Novak", "Okafor", "Tanaka", "Patel", "Fischer",
    "Dubois", "Larsen", "Cohen", "Ivanova", "Moreau", "Schmidt", "Mensah", "Costa",
    "Berg", "Walsh", "Haddad",
]  # fmt: skip
#: company name, email domain stem (as people type it), top-level domain
COMPANIES = [
    ("Example Inc", "Example", "com"),
    ("Acme Corp", "Acme", "com"),
    ("Globex", "Globex", "io"),
    ("Initech", "Initech", "com"),
    ("Umbrella Health", "UmbrellaHealth", "com"),
    ("Hooli", "Hooli", "xyz"),
    ("Stark Industries", "Stark", "com"),
    ("Wayne Financial", "WayneFinancial", "com"),
    ("Wonka Retail", "Wonka", "co.uk"),
    ("Cyberdyne Systems", "Cyberdyne", "ai"),
    ("Soylent Foods", "Soylent", "com"),
    ("Tyrell Manufacturing", "Tyrell", "de"),
    ("Vandelay Imports", "Vandelay", "com"),
    ("Nakatomi Trading", "Nakatomi", "jp"),
    ("Oceanic Learning", "OceanicLearning", "org"),
    ("Massive Dynamic", "MassiveDynamic", "com"),
    ("Pied Piper", "PiedPiper", "com"),
    ("Dunder Paper", "DunderMifflin", "com"),
    ("Blue Sun Bank", "BlueSun", "fr"),
    ("Gringotts Finance", "Gringotts", "co.uk"),
]
JOB_TITLES = [
    "Marketing Manager",
    "Head of Growth",
    "Data Analyst",
    "Analytics Engineer",
    "CMO",
    "Demand Generation Lead",
    "Product Manager",
    "Software Engineer",
    "VP Sales",
    "Customer Success Manager",
]
COUNTRIES = ["US", "US", "US", "GB", "DE", "FR", "NL", "CA", "AU", "IN", "BR", "ES", "SE"]
INDUSTRIES = [
    "Software",
    "Financial Services",
    "Healthcare",
    "Retail",
    "Manufacturing",
    "Education",
]
LIFECYCLE_STAGES = [
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
]

#: Reference segments that get deliberately seeded members (email_reengagement follows
#: from inactive_90d, whose seeded members are never suppressed).
SEEDED_SEGMENTS = [
    "pricing_page_high_intent",
    "demo_page_repeat_visitors",
    "cart_abandoners",
    "repeat_link_clickers",
    "engaged_email_readers",
    "multi_email_clickers_one_day",
    "product_viewers_no_purchase",
    "content_researchers",
    "video_engaged",
    "recent_form_fill",
    "case_study_repeat_visitors",
    "inactive_90d",
    "icp_active",
    "email_suppressed",
]
#: Seeded segments whose members receive every email.
EMAIL_SEEDED = [
    "repeat_link_clickers",
    "engaged_email_readers",
    "multi_email_clickers_one_day",
    "email_suppressed",
]


def _pages() -> list[tuple[str, str, list[float]]]:
    """Page catalog: path, title, weight per session kind (browse .. video)."""
    pages: list[tuple[str, str, list[float]]] = [
        ("/", "Home", [30, 10, 10, 10, 10, 10]),
        ("/pricing", "Pricing", [6, 2, 4, 28, 3, 2]),
        ("/pricing/enterprise", "Enterprise pricing", [1.5, 0.5, 1, 10, 1, 0]),
        ("/pricingx", "PricingX partner program", [1, 0.5, 0, 0.5, 0, 0]),
        ("/demo", "Book a demo", [2.5, 1, 1, 14, 1, 1]),
        ("/demo/book", "Pick a demo slot", [0.5, 0, 0, 7, 0, 0]),
        ("/case-studies", "Case studies", [2.5, 6, 1, 7, 0, 1]),
        ("/about", "About us", [3, 0.5, 0, 1, 0, 0]),
        ("/careers", "Careers", [2, 0, 0, 0, 0, 0]),
        ("/contact", "Contact", [2, 0.5, 0, 2, 0, 0]),
    ]
    pages += [(f"/case-studies/{c}", f"Case study: {c}", [0.6, 4, 0, 4, 0, 0]) for c in CUSTOMERS]
    pages += [(f"/blog/{s}", f"Blog: {s}", [3, 8, 0.5, 1, 0.5, 2]) for s in BLOG_SLUGS]
    pages += [(f"/docs/{d}", f"Docs: {d}", [1, 3, 0, 1, 14, 1]) for d in DOCS]
    pages += [(f"/product/{p[0]}", p[2], [0.5, 0.5, 8, 0, 0, 0]) for p in PRODUCTS]
    pages += [(f"/videos/{v[0]}", v[1], [0, 0.3, 0, 0, 0, 12]) for v in VIDEOS]
    return pages


PAGES = _pages()
PAGE_INDEX = {path: i for i, (path, _, _) in enumerate(PAGES)}

#: Event types after the first page of a session, weight per kind (video sessions play
#: heartbeats instead; app sessions start with signed_in).
SESSION_EVENT_WEIGHTS: dict[str, list[float]] = {
    "page": [84, 68, 42, 78, 28, 0],
    "product_viewed": [5, 4, 44, 5, 0, 0],
    "checkout_started": [0, 0, 14, 0, 0, 0],
    "form_submitted": [2, 5, 0, 11, 0, 0],
    "content_downloaded": [3, 23, 0, 6, 0, 0],
    "signed_in": [3, 0, 0, 0, 0, 0],
    "feature_used": [3, 0, 0, 0, 72, 0],
}

URN_SLOTS = 1000


def _urn(weights: Sequence[float], slots: int = URN_SLOTS) -> list[int]:
    """Slot -> item index so that ``item[floor(u * slots)]`` draws items by weight."""
    total = float(sum(weights))
    out: list[int] = []
    cumulative = 0.0
    for item, weight in enumerate(weights):
        lo = round(cumulative / total * slots)
        cumulative += weight
        hi = round(cumulative / total * slots)
        out += [item] * (hi - lo)
    return out


# ---------------------------------------------------------------------------------------
# Run settings
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    out_dir: Path
    contacts: int
    events: int
    seed: int
    end: date
    days: int
    batch: str
    increment_days: int

    @property
    def end_us(self) -> int:
        return (self.end - date(1970, 1, 1)).days * DAY

    @property
    def start_us(self) -> int:
        return self.end_us - self.days * DAY

    @property
    def inc_end_us(self) -> int:
        return self.end_us + self.increment_days * DAY

    @property
    def far_us(self) -> int:
        """Stands for "never" in device windows."""
        return self.end_us + 3650 * DAY

    @property
    def is_base(self) -> bool:
        return self.batch == "base"

    @property
    def period(self) -> tuple[int, int]:
        """Event timestamps of this batch's own events lie in [lo, hi)."""
        if self.is_base:
            return self.start_us, self.end_us
        return self.end_us, self.inc_end_us

    @property
    def recv_end_us(self) -> int:
        """Every received_at of this batch is before this."""
        return self.period[1]

    @property
    def file_name(self) -> str:
        return "base.parquet" if self.is_base else f"increment-{self.end.isoformat()}.parquet"

    @property
    def batch_events(self) -> int:
        if self.is_base:
            return self.events
        return round(self.events * self.increment_days / self.days)


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def generate(
    out_dir: Path,
    *,
    contacts: int,
    events: int,
    seed: int,
    end: date,
    days: int = 120,
    batch: str = "base",
    increment_days: int = 1,
) -> dict[str, int]:
    """Write one batch of demo data under ``out_dir/<table>/``; return rows per table.

    ``batch="base"`` writes ``base.parquet`` in every table folder (events in
    ``[end - days, end)``) and removes ``increment-*.parquet`` files an earlier run left
    there. ``batch="increment"`` needs the base batch of the same arguments in ``out_dir``
    and adds ``increment-<end>.parquet`` (events in ``[end, end + increment_days)``).
    """
    if batch not in ("base", "increment"):
        raise ValueError(f"batch must be 'base' or 'increment', not {batch!r}")
    if contacts < 1 or events < 0 or days < 1 or increment_days < 1:
        raise ValueError("contacts and days must be >= 1, events >= 0, increment_days >= 1")
    run = _Run(Path(out_dir), contacts, events, seed, end, days, batch, increment_days)
    if not run.is_base and not (run.out_dir / "pages" / "base.parquet").exists():
        raise FileNotFoundError(f"no base batch in {run.out_dir}: generate batch 'base' first")

    tmp = Path(tempfile.mkdtemp(prefix="aw-demo-"))
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET temp_directory = {_q(tmp.as_posix())}")
        _create_macros(con, run)
        _create_catalogs(con, run)
        _create_contacts(con, run)
        _create_devices(con, run)
        _create_events(con, run)
        _apply_dirt(con, run)
        _create_crm(con, run)
        if not run.is_base:
            _create_resent_base_rows(con, run)
        return _write_all(con, run)
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)


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
            FROM ({_ranked_contacts_sql(contacts, seed)})
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


def _ranked_contacts_sql(contacts: int, seed: int) -> str:
    """Contact numbers k = 1..contacts with rnk, their rank in a seed-shuffled order
    (rnk % 100 picks the seeded segment, rnk % 500 the shared inboxes)."""
    return f"""
        SELECT range + 1 AS k,
               row_number() OVER (ORDER BY hash({seed}, 'rank', range), range) - 1 AS rnk
        FROM range({contacts})"""


def _create_events(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
    """Fill ev_raw with every message of the batch; web sessions fill up the budget."""
    _create_ev_raw(con)
    _insert_identifies(con, run)
    _insert_email_events(con, run)
    if run.is_base:
        _insert_seeded_events(con, run)
        _insert_late_identifier_sessions(con, run)
        web_budget = run.batch_events - _count_ev(con)
        _insert_sessions(con, run, "bw", run.start_us, run.end_us, web_budget)
        return
    late_budget = max(5, round(0.05 * run.batch_events))
    # a campaign send can fill an increment: web sessions keep at least half of it
    web_budget = max(run.batch_events // 2, run.batch_events - _count_ev(con)) - late_budget
    _insert_sessions(con, run, "iw", run.end_us, run.inc_end_us, web_budget)
    _insert_sessions(
        con, run, "il", run.end_us - 5 * DAY, run.end_us - HOUR, late_budget, late=True
    )


# ---------------------------------------------------------------------------------------
# SQL helpers
# ---------------------------------------------------------------------------------------


def _q(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _sql_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _choice(values: Sequence[str], uniform: str) -> str:
    """SQL picking one of ``values`` with the uniform number ``uniform``."""
    return f"{_sql_list(values)}[pick({uniform}, {len(values)}) + 1]"


def _table_from_rows(
    con: duckdb.DuckDBPyConnection, name: str, columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """Create a small table from Python rows (columns zipped with unnest)."""
    selects = ", ".join(f"unnest(${i + 1}) AS {c}" for i, c in enumerate(columns))
    con.execute(
        f"CREATE TABLE {name} AS SELECT {selects}", [list(c) for c in zip(*rows, strict=True)]
    )


def _count_ev(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM ev_raw WHERE etype <> 'identify'").fetchone()
    return int(row[0]) if row else 0


def _create_macros(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
    """``u`` is the only source of randomness: uniform in [0, 1) from hashed arguments."""
    con.execute(
        f"CREATE MACRO u(salt, a, b, c) AS "
        f"(hash({run.seed}, salt, a, b, c) >> 11) / 9007199254740992.0"
    )
    # exponential with mean 1
    con.execute("CREATE MACRO expo(x) AS -ln(1.0 - x)")
    con.execute("CREATE MACRO pick(x, n) AS floor(x * n)::INTEGER")
    con.execute(
        """
        CREATE MACRO email_variant(loc, stem, tld, v) AS CASE v
            WHEN 0 THEN lower(loc || '@' || stem || '.' || tld)
            WHEN 1 THEN loc || '@' || stem || '.' || upper(tld)
            WHEN 2 THEN upper(loc || '@' || stem || '.' || tld)
            WHEN 3 THEN ' ' || lower(loc || '@' || stem || '.' || tld) || ' '
            ELSE ' ' || loc || '@' || stem || '.' || upper(tld) || ' '
        END
        """
    )
    types = ", ".join(_q(t) for t in EVENT_TYPES)
    con.execute(f"CREATE TYPE etype_t AS ENUM ({types})")


def _create_catalogs(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
    pages = [(i, path, title) for i, (path, title, _) in enumerate(PAGES)]
    _table_from_rows(con, "page_cat", ["idx", "path", "title"], pages)
    urn_pages = [
        (k, slot, item)
        for k in range(len(KINDS))
        for slot, item in enumerate(_urn([w[k] for _, _, w in PAGES]))
    ]
    _table_from_rows(con, "urn_page", ["u_kind", "u_slot", "item"], urn_pages)
    names = list(SESSION_EVENT_WEIGHTS)
    urn_events = [
        (k, slot, names[item])
        for k in range(len(KINDS) - 1)
        for slot, item in enumerate(_urn([SESSION_EVENT_WEIGHTS[n][k] for n in names]))
    ]
    _table_from_rows(con, "urn_event", ["u_kind", "u_slot", "etype"], urn_events)
    _table_from_rows(
        con, "product_cat", ["idx", "product_id", "category", "name", "price"],
        [(i, *p) for i, p in enumerate(PRODUCTS)],
    )  # fmt: skip
    _table_from_rows(
        con, "form_cat", ["idx", "form_id", "form_name"], [(i, *f) for i, f in enumerate(FORMS)]
    )
    _table_from_rows(
        con, "content_cat", ["idx", "content_id", "content_type", "topic"],
        [(i, *c) for i, c in enumerate(CONTENTS)],
    )  # fmt: skip
    _table_from_rows(
        con, "video_cat", ["idx", "video_id", "title", "total_length"],
        [(i, *v) for i, v in enumerate(VIDEOS)],
    )  # fmt: skip
    _table_from_rows(
        con, "utm_cat", ["idx", "source", "medium", "name"],
        [(i, *c) for i, c in enumerate(UTM_CAMPAIGNS)],
    )  # fmt: skip
    _table_from_rows(con, "ref_cat", ["idx", "url"], [(i + 1, r) for i, r in enumerate(REFERRERS)])
    _table_from_rows(
        con, "event_names", ["etype", "event_text"], [(e, event_text(e)) for e in EVENT_TYPES]
    )
    _create_email_catalog(con, run)


@dataclass(frozen=True)
class _Emails:
    emails: list[tuple]  # seq, campaign_id, email_id, send_us, n_links
    links: list[tuple]  # seq, link_no, url
    n_base: int  # emails sent before end (seq 1..n_base)
    seq_a: int  # last email of the last campaign before end
    seq_b: int  # last email of the campaign before that one


def _email_schedule(run: _Run) -> _Emails:
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
    return _Emails(emails, links, n_base, seq_a=n_base, seq_b=sum(sizes[:-2]))


def _create_email_catalog(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
    schedule = _email_schedule(run)
    _table_from_rows(
        con, "email_cat", ["seq", "campaign_id", "email_id", "send_us", "n_links"],
        schedule.emails,
    )  # fmt: skip
    _table_from_rows(con, "email_links", ["seq", "link_no", "url"], schedule.links)


# ---------------------------------------------------------------------------------------
# Universe: contacts and devices (identical for every batch of the same arguments)
# ---------------------------------------------------------------------------------------


def _create_contacts(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
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
        WITH ranked AS ({_ranked_contacts_sql(run.contacts, run.seed)}
        ), base AS (
            SELECT k, rnk,
                CASE WHEN rnk % 100 < {len(SEEDED_SEGMENTS)}
                     THEN {_sql_list(SEEDED_SEGMENTS)}[rnk % 100 + 1] ELSE 'none' END
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
            {_sql_list(FIRST_NAMES)}[first_i + 1] AS first_name,
            {_sql_list(LAST_NAMES)}[last_i + 1] AS last_name,
            CASE WHEN shared_inbox THEN 'Info'
                 ELSE {_sql_list(FIRST_NAMES)}[first_i + 1] || '.'
                      || {_sql_list(LAST_NAMES)}[last_i + 1] || k::VARCHAR END AS local_disp,
            {_sql_list([c[0] for c in COMPANIES])}[comp_i + 1] AS company,
            {_sql_list([c[1] for c in COMPANIES])}[comp_i + 1] AS stem1,
            {_sql_list([c[2] for c in COMPANIES])}[comp_i + 1] AS tld1,
            {_sql_list([c[0] for c in COMPANIES])}[company2_i + 1] AS company2,
            {_sql_list([c[1] for c in COMPANIES])}[company2_i + 1] AS stem2,
            {_sql_list([c[2] for c in COMPANIES])}[company2_i + 1] AS tld2,
            {_choice(JOB_TITLES, "u('job', k, 0, 0)")} AS job_title,
            {_choice(COUNTRIES, "u('country', k, 0, 0)")} AS country,
            CASE WHEN u('phone', k, 0, 0) < 0.6 THEN printf('+1 555 %03d %04d',
                pick(u('phone1', k, 0, 0), 1000), pick(u('phone2', k, 0, 0), 10000)) END AS phone,
            has_email AND (scenario = 'icp_active' OR u('crm', k, 0, 0) < 0.7) AS in_crm
        FROM flags
        """
    )


def _create_devices(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
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


# ---------------------------------------------------------------------------------------
# Events: everything goes to ev_raw (one row per message), dirt is added in ev
# ---------------------------------------------------------------------------------------


def _create_ev_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Staging table of all messages of the batch, before dirt.

    (src, k1, k2) is unique and names the message (its id is derived from it). dev/usr
    are the device and contact numbers (anonymous_id/user_id). p1..p3, x, y hold the
    properties, meaning depending on etype (see the writers). clean rows are never
    quarantined (they carry the seeded segment behaviour).
    """
    con.execute(
        """
        CREATE TABLE ev_raw (
            src VARCHAR, k1 BIGINT, k2 BIGINT, etype etype_t, ts_us BIGINT, recv_us BIGINT,
            dev BIGINT, usr BIGINT, p1 INTEGER, p2 INTEGER, p3 INTEGER, x DOUBLE, y DOUBLE,
            clean BOOLEAN
        )
        """
    )


def _recv(run: _Run, ts: str, src: str, k1: str, k2: str) -> str:
    """received_at of a normal row: a second to a few minutes after it happened."""
    delay = f"(expo(u('recv', {src}, {k1}, {k2})) * 25 * {SECOND})::BIGINT"
    latency = f"{SECOND} + least({10 * MINUTE}, {delay})"
    return f"least({ts} + {latency}, {run.recv_end_us - 1})"


def _insert_identifies(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
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
        SELECT src, k1, k2, 'identify', ts_us, {_recv(run, "ts_us", "src", "k1", "k2")},
            dev, usr, p1, {variant}, NULL, NULL, NULL, clean
        FROM ids
        WHERE ts_us >= {lo} AND ts_us < {hi}
        """
    )


def _email_recipient_rate(con: duckdb.DuckDBPyConnection, run: _Run) -> float:
    """Share of subscribed contacts per email so that email events are ~15% of events."""
    row = con.execute("SELECT count(*) FROM contacts WHERE has_email AND subscribed").fetchone()
    subscribed = int(row[0]) if row else 0
    n_emails = _email_schedule(run).n_base
    target_deliveries = 0.15 * run.events / 1.6
    return min(1.0, target_deliveries / max(1, subscribed * n_emails))


def _insert_email_events(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
    """Deliveries, bounces, opens, clicks and unsubscribes of every campaign email.

    Generated for the whole universe and kept when they fall in this batch's period, so
    opens of the last emails spill into the increment. k1 = contact, k2 = seq * 10 + code.
    A hard bounce or an unsubscribe stops further email to that contact; churned contacts
    stop engaging at their churn time.
    """
    lo, hi = run.period
    rate = _email_recipient_rate(con, run)
    n_emails = _email_schedule(run).n_base
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
            {_recv(run, "ts_us", "'em'", "k", "seq * 10 + code")},
            NULL, k,
            CASE WHEN etype = 'unsubscribed' AND scenario = 'none'
                  AND u('unsub_campaign', k, seq, 0) < 0.2 THEN NULL ELSE seq END,
            p2, p3, NULL, NULL, scenario <> 'none'
        FROM ev
        WHERE ts_us >= {lo} AND ts_us < {hi}
        """
    )
    con.execute("DROP TABLE rcpt")


def _insert_seeded_events(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
    """Base batch only: the behaviour each seeded contact's segment looks for.

    Times are between end - 30 days and end - 12 hours (7-day behaviours in the last 6
    days, the form fill in the last 22 hours, email clicks on the last day), so every
    reference segment has members for an as_of in [end - 12h, end). Web rows carry the
    contact's first device and user_id; email clicks carry user_id only.
    """
    e = run.end_us
    schedule = _email_schedule(run)
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
            {_recv(run, "s.ts_us", "'sc'", "s.k", "s.n")},
            CASE WHEN s.web THEN (s.k - 1) * 3 END, s.k, s.p1, s.p2, s.p3, s.x, s.y, true
        FROM ({union}) s
        """
    )


def _insert_late_identifier_sessions(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
    """Base batch only: every device that identifies in an increment visits anonymously
    in the last days before end (home, then pricing), so the increment's identifies link
    base rows retroactively."""
    e = run.end_us
    con.execute(
        f"""
        INSERT INTO ev_raw
        SELECT 'sl', d, n, 'page',
            {e} - {DAY} - (u('late_s', d, 0, 0) * 4 * {DAY})::BIGINT + n * 2 * {MINUTE} AS ts,
            {_recv(run, "ts", "'sl'", "d", "n")},
            d, NULL,
            CASE WHEN n = 0 THEN {PAGE_INDEX["/"]} ELSE {PAGE_INDEX["/pricing"]} END,
            NULL, CASE WHEN n = 0 THEN NULL ELSE 0 END, NULL, NULL, false
        FROM devices CROSS JOIN range(2) r(n)
        WHERE late
        """
    )


def _insert_sessions(
    con: duckdb.DuckDBPyConnection,
    run: _Run,
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
    con: duckdb.DuckDBPyConnection, run: _Run, budget: int, lo: int, hi: int, late: bool
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
        else _recv(run, "ts_us", "src", "sk", "k")
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


# ---------------------------------------------------------------------------------------
# Dirt
# ---------------------------------------------------------------------------------------


def _apply_dirt(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
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


# ---------------------------------------------------------------------------------------
# CRM export
# ---------------------------------------------------------------------------------------


def _create_crm(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
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
    industries = _sql_list(INDUSTRIES)
    stages = _sql_list(LIFECYCLE_STAGES)
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
            email_variant({_choice(FIRST_NAMES, "u('xf', range, 0, 0)")}
                || '.' || {_choice(LAST_NAMES, "u('xl', range, 0, 0)")}
                || '.crm' || range::VARCHAR,
                {_choice([c[1] for c in COMPANIES], "u('xc', range, 0, 0)")},
                {_choice([c[2] for c in COMPANIES], "u('xc', range, 0, 0)")},
                pick(u('xv', range, 0, 0), 5)),
            {_choice([c[0] for c in COMPANIES], "u('xc', range, 0, 0)")},
            false, {_choice(COUNTRIES, "u('xn', range, 0, 0)")}
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


# ---------------------------------------------------------------------------------------
# Increment: base rows sent again
# ---------------------------------------------------------------------------------------


def _create_resent_base_rows(con: duckdb.DuckDBPyConnection, run: _Run) -> None:
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
                SELECT * FROM read_parquet({_q(path.as_posix())}) WHERE {valid}
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
            FROM read_parquet({_q(path.as_posix())})
            WHERE id IN (SELECT id FROM resent_tracks)
            ORDER BY id, received_at
            """
        )


# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------


def _common_select(run: _Run) -> str:
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


def _order_id(run: _Run) -> str:
    """Same for a checkout and its order: p1 is the checkout's k2."""
    key = f"concat_ws(':', {run.seed}, '{run.end.isoformat()}', 'order', ev.src, ev.k1, ev.p1)"
    return f"'o_' || left(md5({key}), 12)"


def _currency() -> str:
    return """CASE WHEN u('cur', ev.src, ev.k1, ev.p1) < 0.85 THEN 'USD'
                   WHEN u('cur', ev.src, ev.k1, ev.p1) < 0.95 THEN 'EUR' ELSE 'GBP' END"""


def _event_table_select(run: _Run, table: str) -> str:
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


def _pages_select(run: _Run) -> str:
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


def _tracks_select(run: _Run) -> str:
    return f"""
        SELECT {_common_select(run)}, ev.etype::VARCHAR, en.event_text
        FROM ev JOIN event_names en ON en.etype = ev.etype::VARCHAR
        WHERE ev.etype NOT IN ('page', 'identify')"""


def _identifies_select(run: _Run) -> str:
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


def _write_all(con: duckdb.DuckDBPyConnection, run: _Run) -> dict[str, int]:
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


def _write_table(con: duckdb.DuckDBPyConnection, run: _Run, table: str, select: str) -> int:
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
        TO {_q(path.as_posix())} (FORMAT parquet, COMPRESSION zstd)
        """
    )
    row = con.execute(f"SELECT count(*) FROM read_parquet({_q(path.as_posix())})").fetchone()
    return int(row[0]) if row else 0


def _ident(name: str) -> str:
    return f'"{name}"'


# ---------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m audience_warehouse.demo_data",
        description="Write deterministic demo data in the raw Segment layout "
        "(<out>/<table>/*.parquet).",
    )
    parser.add_argument("--out", type=Path, default=Path("data/raw"), help="raw data folder")
    parser.add_argument("--contacts", type=int, default=2000, help="known people")
    parser.add_argument("--events", type=int, default=200_000, help="pages + tracks rows")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=datetime.now(UTC).date(),
        help="exclusive end (ISO date, UTC) of the base period; default today",
    )
    parser.add_argument("--days", type=int, default=120, help="length of the base period")
    parser.add_argument("--batch", choices=["base", "increment"], default="base")
    parser.add_argument(
        "--increment-days", type=int, default=1, help="length of the increment period"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    counts = generate(
        args.out,
        contacts=args.contacts,
        events=args.events,
        seed=args.seed,
        end=args.end,
        days=args.days,
        batch=args.batch,
        increment_days=args.increment_days,
    )
    width = max(len(t) for t in counts)
    for table, rows in counts.items():
        print(f"{table:<{width}}  {rows:>10,}")
    print(f"{'pages + tracks':<{width}}  {counts['pages'] + counts['tracks']:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
