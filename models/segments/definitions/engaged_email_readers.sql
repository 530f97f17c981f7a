{#-
    Escape hatch: a segment written as plain SQL (a model returning contact_id and
    reason), for logic the rule language does not express: "at least 5 distinct emails
    delivered, and each of the 5 most recent was opened". An email's recency is its latest
    delivery at or before as_of; the open may come at any time up to as_of.
-#}
{{ config(meta={'segment': {'kind': 'sql', 'activation': {'destinations': ['hubspot']}}}) }}

with

{# read by deliveries and opens, each with its own filter: stored once, it would hold
    every event of both kinds with all their columns #}
events as {{ not_materialized() }} (

    select * from {{ ref('int_events_resolved_to_contacts') }}

),

opens as (

    select distinct
        contact_id,
        email_id

    from events
    where source_table = 'email_opened'

),

{# only a contact who opened 5 distinct emails can have opened each of its 5 latest: the
    others' deliveries are never ranked (the ranking sorts them, most of the cost) #}
readers as (

    select contact_id
    from opens
    group by contact_id
    having count(email_id) >= 5

),

deliveries as (

    select
        events.contact_id,
        events.email_id,
        max(events.occurred_at) as delivered_at

    from events
    inner join readers
        on events.contact_id = readers.contact_id
    where events.source_table = 'email_delivered' and events.email_id is not null
    group by events.contact_id, events.email_id

),

ranked_deliveries as (

    select
        *,
        row_number() over (
            partition by contact_id order by delivered_at desc, email_id desc
        ) as recency_rank,
        count(*) over (partition by contact_id) as delivered_emails

    from deliveries

),

latest_five as (

    select * from ranked_deliveries
    where recency_rank <= 5 and delivered_emails >= 5

),

members as (

    select
        latest_five.contact_id,
        concat(
            'opened each of the 5 latest of ',
            cast(max(latest_five.delivered_emails) as string),
            ' emails delivered'
        ) as reason

    from latest_five
    left join opens
        on
            latest_five.contact_id = opens.contact_id
            and latest_five.email_id = opens.email_id
    group by latest_five.contact_id
    having count(opens.email_id) = 5

),

final as (

    select * from members

)

select * from final
