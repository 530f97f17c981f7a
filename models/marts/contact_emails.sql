{#-
    One row per contact and email (email_id) delivered to the contact at or before as_of:
    its latest delivery, its first open, and how recent it is among the emails delivered
    to the contact (an open of an email never delivered to the contact has no row).
    Built once per run and shared by every segment that asks about a contact's emails one
    by one (engaged_email_readers and its copies): each would otherwise group and rank
    every delivery and open of all history again. An email's recency is its latest
    delivery; an open counts at any time up to as_of.
-#}
with

{# read by deliveries and opens, each with its own filter: stored once, it would hold
    every event of both kinds with all their columns #}
events as {{ not_materialized() }} (

    select * from {{ ref('int_events_resolved_to_contacts') }}

),

deliveries as (

    select
        contact_id,
        email_id,
        max(occurred_at) as last_delivered_at,
        count(*) as deliveries

    from events
    where source_table = 'email_delivered' and email_id is not null
    group by contact_id, email_id

),

opens as (

    select
        contact_id,
        email_id,
        min(occurred_at) as first_opened_at,
        count(*) as opens

    from events
    where source_table = 'email_opened' and email_id is not null
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

final as (

    select * from ranked

)

select * from final
