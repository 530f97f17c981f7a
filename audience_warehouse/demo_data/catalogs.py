"""Fixed catalogs (pages, products, forms, contents, videos, campaigns, names, companies,
seeded segments, session weights) and the DuckDB lookup tables made from them."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from .schema import EVENT_TYPES, event_text
from .sql import table_from_rows

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


def urn(weights: Sequence[float], slots: int = URN_SLOTS) -> list[int]:
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


def create_catalogs(con: duckdb.DuckDBPyConnection) -> None:
    """Lookup tables of the fixed catalogs and the urns that draw pages and session events."""
    pages = [(i, path, title) for i, (path, title, _) in enumerate(PAGES)]
    table_from_rows(con, "page_cat", ["idx", "path", "title"], pages)
    urn_pages = [
        (k, slot, item)
        for k in range(len(KINDS))
        for slot, item in enumerate(urn([w[k] for _, _, w in PAGES]))
    ]
    table_from_rows(con, "urn_page", ["u_kind", "u_slot", "item"], urn_pages)
    names = list(SESSION_EVENT_WEIGHTS)
    urn_events = [
        (k, slot, names[item])
        for k in range(len(KINDS) - 1)
        for slot, item in enumerate(urn([SESSION_EVENT_WEIGHTS[n][k] for n in names]))
    ]
    table_from_rows(con, "urn_event", ["u_kind", "u_slot", "etype"], urn_events)
    table_from_rows(
        con, "product_cat", ["idx", "product_id", "category", "name", "price"],
        [(i, *p) for i, p in enumerate(PRODUCTS)],
    )  # fmt: skip
    table_from_rows(
        con, "form_cat", ["idx", "form_id", "form_name"], [(i, *f) for i, f in enumerate(FORMS)]
    )
    table_from_rows(
        con, "content_cat", ["idx", "content_id", "content_type", "topic"],
        [(i, *c) for i, c in enumerate(CONTENTS)],
    )  # fmt: skip
    table_from_rows(
        con, "video_cat", ["idx", "video_id", "title", "total_length"],
        [(i, *v) for i, v in enumerate(VIDEOS)],
    )  # fmt: skip
    table_from_rows(
        con, "utm_cat", ["idx", "source", "medium", "name"],
        [(i, *c) for i, c in enumerate(UTM_CAMPAIGNS)],
    )  # fmt: skip
    table_from_rows(con, "ref_cat", ["idx", "url"], [(i + 1, r) for i, r in enumerate(REFERRERS)])
    table_from_rows(
        con, "event_names", ["etype", "event_text"], [(e, event_text(e)) for e in EVENT_TYPES]
    )
