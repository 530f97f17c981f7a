{#-
    One row per contact and email (email_id) delivered to the contact at or before as_of:
    its latest delivery, its first open, and how recent it is among the emails delivered
    to the contact (an open of an email never delivered to the contact has no row). The
    contacts are resolved through the identity map at as_of. The mart contact_emails shows
    its live rows.

    Incremental: each row keeps the as_of it was computed at (evaluated_as_of). Moving
    as_of forward, only the contacts whose email events or links moved since then
    (contacts_with_changed_events_ctes) are recomputed, from all their email events;
    every other contact is left as it is. A recomputed contact left with no delivery is
    written back as one row with email_id null (delete+insert only replaces the keys it
    writes); readers skip it. A first run or as_of moved back computes every contact.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='contact_id',
) }}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
{%- set email_event_filter = "source_table in ('email_delivered', 'email_opened')"
    ~ ' and email_id is not null' %}

with

{{ contact_events_to_recompute_ctes('events', email_event_filter) }}

deliveries as (

    select
        contact_id,
        email_id,
        max(occurred_at) as last_delivered_at,
        count(*) as deliveries

    from events
    where source_table = 'email_delivered'
    group by contact_id, email_id

),

opens as (

    select
        contact_id,
        email_id,
        min(occurred_at) as first_opened_at,
        count(*) as opens

    from events
    where source_table = 'email_opened'
    group by contact_id, email_id

),

joined as (

    select
        deliveries.*,
        opens.first_opened_at,
        coalesce(opens.opens, 0) as opens

    from deliveries
    left join opens
        on
            deliveries.contact_id = opens.contact_id
            and deliveries.email_id = opens.email_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by contact_id order by last_delivered_at desc, email_id desc
        ) as delivery_recency_rank,
        count(*) over (partition by contact_id) as emails_delivered

    from joined

),

{#- a stored contact recomputed with no delivery left: one row that replaces its own #}
{{ recomputed_contacts_written_ctes('ranked', 'deliveries', [
    ['email_id', 'cast(null as string)'],
    ['last_delivered_at', 'cast(null as timestamp)'],
    ['deliveries', '0'],
    ['first_opened_at', 'cast(null as timestamp)'],
    ['opens', '0'],
    ['delivery_recency_rank', '0'],
    ['emails_delivered', '0'],
]) }}

select * from final
