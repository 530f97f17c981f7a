{#-
    One row per contact and email (email_id) delivered to the contact at or before as_of:
    its latest delivery, its first open, and how recent it is among the emails delivered
    to the contact. Shared by every segment that asks about a contact's emails one by one
    (engaged_email_readers and its copies). A view of the live rows of
    int_contact_emails_ranked, which recomputes only the contacts whose emails changed.
-#}
with

contact_emails as (

    select * from {{ ref('int_contact_emails_ranked') }}
    where email_id is not null

),

final as (

    select
        contact_id,
        email_id,
        last_delivered_at,
        deliveries,
        first_opened_at,
        opens,
        delivery_recency_rank,
        emails_delivered

    from contact_emails

)

select * from final
