{#-
    One row per email of a contact at as_of: the record a destination matched by email
    holds. Contacts are never merged, but contacts sharing an email (a team inbox) share
    one record: its fields come from the most recently seen of them
    (representative_contact_id; ties go to the larger contact_id), and contact_ids lists
    them all. Every sync model reads it, so this grouping runs once per build, beside the
    segments rather than after them.
-#}

with

contact_features as (

    select
        contact_id,
        email,
        last_seen_at

    from {{ ref('contact_features') }}
    where email is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by email order by last_seen_at desc nulls last, contact_id desc
        ) as recency_rank

    from contact_features

),

representatives as (

    select
        email,
        contact_id as representative_contact_id

    from ranked
    where recency_rank = 1

),

email_contacts as (

    select
        email,
        {{ dbt.listagg('contact_id', "';'", 'order by contact_id') }} as contact_ids

    from contact_features
    group by email

),

final as (

    select
        representatives.email,
        representatives.representative_contact_id,
        email_contacts.contact_ids

    from representatives
    inner join email_contacts
        on representatives.email = email_contacts.email

)

select * from final
