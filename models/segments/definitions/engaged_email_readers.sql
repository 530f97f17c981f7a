{#-
    Escape hatch: a segment written as plain SQL (a model returning contact_id and
    reason), for logic the rule language does not express: "at least 5 distinct emails
    delivered, and each of the 5 most recent was opened". An email's recency is its latest
    delivery at or before as_of; the open may come at any time up to as_of. contact_emails
    holds each (contact, email) with its recency among the contact's deliveries.
-#}
{{ config(meta={'segment': {'kind': 'sql', 'activation': {'destinations': ['hubspot']}}}) }}

with

contact_emails as (

    select * from {{ ref('contact_emails') }}

),

latest_five as (

    select * from contact_emails
    where delivery_recency_rank <= 5 and emails_delivered >= 5

),

members as (

    select
        contact_id,
        concat(
            'opened each of the 5 latest of ',
            cast(max(emails_delivered) as string),
            ' emails delivered'
        ) as reason

    from latest_five
    group by contact_id
    having count(first_opened_at) = 5

),

final as (

    select * from members

)

select * from final
