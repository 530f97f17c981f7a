{#-
    Every valid event at or before as_of with the contact it belongs to: its user_id, or,
    for an anonymous event, the contact its anonymous_id is mapped to (whether the event
    happened before or after the link was made). Events of never-identified visitors
    belong to no contact and are left out.
-#}
with

events as (

    select * from {{ ref('int_events_unioned') }}
    where occurred_at <= {{ as_of() }}

),

anonymous_id_map as (

    select * from {{ ref('int_anonymous_ids_mapped_to_contacts') }}

),

resolved as (

    select
        events.*,
        coalesce(events.user_id, anonymous_id_map.contact_id) as contact_id

    from events
    left join anonymous_id_map
        on
            events.user_id is null
            and events.anonymous_id = anonymous_id_map.anonymous_id

),

final as (

    select * from resolved
    where contact_id is not null

)

select * from final
