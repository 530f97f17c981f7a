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

{# One aggregate per email: the representative is the contact with the largest
    (last_seen_at, contact_id), a contact never seen counting below any seen one. #}
grouped as (

    select
        email,
        {{ arg_max('contact_id', [
            "coalesce(last_seen_at, cast('0001-01-01' as timestamp))", 'contact_id',
        ]) }} as representative_contact_id,
        {{ string_agg_sorted('contact_id', "';'") }} as contact_ids

    from contact_features
    group by email

),

final as (

    select * from grouped

)

select * from final
