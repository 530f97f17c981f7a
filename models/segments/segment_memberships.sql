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

stints_covering_as_of as (

    select
        segment_name,
        contact_id,
        max(entered_at) as entered_at

    from history
    where
        entered_at <= {{ as_of() }}
        and (exited_at is null or exited_at > {{ as_of() }})
    group by segment_name, contact_id

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
