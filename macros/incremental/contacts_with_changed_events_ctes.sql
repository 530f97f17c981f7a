{#-
    The CTEs that find the contacts whose per-contact state at as_of, built from some of
    the resolved events (`events_filter`, a condition on int_events_resolved_to_contacts),
    can differ from what this model stored at `previous` (the as_of of its last run, a
    datetime at or before as_of: previous_as_of()). A contact's state moves only when:
      - one of its events happened in (previous, as_of] (time moved past it);
      - one of its events was loaded since this model's last run (new or late rows);
      - an anonymous_id with such events of its own (no user_id) may map to another
        contact: among the links loaded since the last run it was linked for the first
        time or is shared by several user_ids (relinked_anonymous_ids_ctes), or one of
        its links happened in (previous, as_of], which the map at previous did not see.
        Every user_id ever linked to it counts (the contact it leaves, the one it joins).
    The last CTE, contacts_to_recompute, has one column, contact_id. The events and the
    links are read by each CTE that needs them, with its own filter: a CTE read several
    times would be stored whole by DuckDB on every run.
-#}
{%- macro contacts_with_changed_events_ctes(events_filter, previous_datetime) -%}
{%- set previous = "cast('" ~ previous_datetime.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)" -%}
{%- set resolved_events = ref('int_events_resolved_to_contacts') -%}
{%- set links = ref('int_identity_links_rolled_up') -%}
contacts_with_events_since_previous_as_of as (

    select contact_id
    from {{ resolved_events }}
    where {{ events_filter }} and occurred_at > {{ previous }}

),

contacts_with_events_loaded_since_last_run as (

    select contact_id
    from (
        select
            contact_id,
            dbt_loaded_at

        from {{ resolved_events }}
        where {{ events_filter }}
    ) as events
    {{ loaded_since_last_run() }}

),

anonymous_ids_with_events as (

    select distinct anonymous_id
    from {{ resolved_events }}
    where {{ events_filter }} and user_id is null

),

{{ relinked_anonymous_ids_ctes(links) }}

links_since_previous_as_of as (

    select anonymous_id
    from {{ links }}
    where first_linked_at <= {{ as_of() }} and last_linked_at > {{ previous }}

),

remapped_anonymous_ids as (

    select anonymous_id from relinked_anonymous_ids
    union
    select anonymous_id from links_since_previous_as_of

),

contacts_of_remapped_anonymous_ids as (

    select links.user_id as contact_id
    from {{ links }} as links
    inner join remapped_anonymous_ids
        on links.anonymous_id = remapped_anonymous_ids.anonymous_id
    inner join anonymous_ids_with_events
        on links.anonymous_id = anonymous_ids_with_events.anonymous_id

),

contacts_to_recompute as (

    select contact_id from contacts_with_events_since_previous_as_of
    union
    select contact_id from contacts_with_events_loaded_since_last_run
    union
    select contact_id from contacts_of_remapped_anonymous_ids

),
{%- endmacro -%}
