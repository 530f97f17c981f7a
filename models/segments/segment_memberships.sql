{#-
    Current members of every segment at as_of, for BI tools and syncs: one row per
    (segment_name, contact_id) with when the contact entered (its open stint in
    segment_membership_history) and why it qualifies.
-#}
with

members as (

    select * from {{ ref('int_segment_members_unioned') }}

),

history as (

    select * from {{ ref('segment_membership_history') }}

),

{# a contact's stints in a segment never overlap (one opens only when none is open), so
    at most one covers as_of: no group by (unique test on this model's key) #}
stints_covering_as_of as (

    select
        segment_name,
        contact_id,
        entered_at

    from history
    where
        entered_at <= {{ as_of() }}
        and (exited_at is null or exited_at > {{ as_of() }})

),

final as (

    select
        members.segment_name,
        members.contact_id,
        stints_covering_as_of.entered_at,
        members.reason,
        members.as_of

    from members
    left join stints_covering_as_of
        on
            members.segment_name = stints_covering_as_of.segment_name
            and members.contact_id = stints_covering_as_of.contact_id

)

select * from final
