{#-
    The contacts whose behaviour at as_of cannot be read from the state kept across runs,
    with their actors at as_of: a contact is relinked when an anonymous_id with an
    identity link after as_of belongs to it, under the map over everything loaded or
    under the map at as_of. Every other anonymous_id maps to the same contact under both
    maps (all its links are at or before as_of), so every other contact has the same
    events under both. One row per actor: the contact's user_id (actor_type 'user') and
    each anonymous_id the map at as_of gives it. Empty when no link happened after as_of
    (identity_state_mode 'final').
-#}
with

anonymous_ids_linked_after_as_of as (

    {{ anonymous_ids_linked_after_as_of() }}

),

latest_map as (

    select * from {{ ref('int_anonymous_ids_mapped_to_contacts_latest') }}

),

map_at_as_of as (

    select * from {{ ref('int_anonymous_ids_mapped_to_contacts') }}

),

contacts_under_latest_map as (

    select latest_map.contact_id
    from latest_map
    inner join anonymous_ids_linked_after_as_of
        on latest_map.anonymous_id = anonymous_ids_linked_after_as_of.anonymous_id

),

contacts_under_map_at_as_of as (

    select map_at_as_of.contact_id
    from map_at_as_of
    inner join anonymous_ids_linked_after_as_of
        on map_at_as_of.anonymous_id = anonymous_ids_linked_after_as_of.anonymous_id

),

relinked_contacts as (

    select contact_id from contacts_under_latest_map
    union
    select contact_id from contacts_under_map_at_as_of

),

user_actors as (

    select
        'user' as actor_type,
        contact_id as actor_id,
        contact_id

    from relinked_contacts

),

anonymous_actors as (

    select
        'anonymous' as actor_type,
        map_at_as_of.anonymous_id as actor_id,
        map_at_as_of.contact_id

    from map_at_as_of
    inner join relinked_contacts
        on map_at_as_of.contact_id = relinked_contacts.contact_id

),

final as (

    select * from user_actors
    union all
    select * from anonymous_actors

)

select * from final
