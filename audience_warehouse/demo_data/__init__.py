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

Modules: ``pipeline`` (``generate``, the steps in order), ``run`` (settings and periods),
``schema`` (output tables and columns), ``sql`` (SQL helpers and macros), ``catalogs``
(fixed catalogs and lookup tables), ``people`` (contacts, devices, identifies), ``ev_raw``
(the staging table events go to), ``emails``, ``seeds`` (seeded segment behaviour and
``seeded_members``), ``sessions`` (web sessions), ``dirt``, ``crm``, ``writer`` (Parquet
output) and ``cli``.
"""

from __future__ import annotations

from .cli import main
from .pipeline import generate
from .schema import (
    COMMON_COLUMNS,
    CRM_COLUMNS,
    EVENT_TABLES,
    EVENT_TYPES,
    EXTRA_COLUMNS,
    TABLES,
    TRACK_ONLY_EVENTS,
    event_text,
    schema,
)
from .seeds import seeded_members

__all__ = [
    "COMMON_COLUMNS",
    "CRM_COLUMNS",
    "EVENT_TABLES",
    "EVENT_TYPES",
    "EXTRA_COLUMNS",
    "TABLES",
    "TRACK_ONLY_EVENTS",
    "event_text",
    "generate",
    "main",
    "schema",
    "seeded_members",
]
