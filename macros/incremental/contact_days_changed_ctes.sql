{#-
    The CTEs that find the (contact, day) pairs int_contact_activity_accumulated recombines:
    the days of actor-days loaded since `accumulated`'s last run, resolved through the
    identity map over everything loaded, and every day with activity of an anonymous_id
    linked for the first time or shared by several user_ids since then (each of its
    user_ids: its contact may have changed). The last CTE, changed_contact_days, has
    contact_id and activity_date. Used by int_contact_days_changed, and inline by the
    accumulation when that model is not built in the same run.
-#}
{%- macro contact_days_changed_ctes(accumulated) -%}
{%- set links = ref('int_identity_links_rolled_up') -%}
{%- set anonymous_id_map = ref('int_anonymous_ids_mapped_to_contacts_latest') -%}
new_actor_days as (

    select * from {{ ref('int_actor_activity_rolled_up') }}
    {{ loaded_since_last_run(of=accumulated) }}

),

new_contact_days as (

    select distinct
        new_actor_days.activity_date,
        coalesce(
            case when new_actor_days.actor_type = 'user' then new_actor_days.actor_id end,
            anonymous_id_map.contact_id
        ) as contact_id

    from new_actor_days
    left join {{ anonymous_id_map }} as anonymous_id_map
        on
            new_actor_days.actor_type = 'anonymous'
            and new_actor_days.actor_id = anonymous_id_map.anonymous_id

),

{{ relinked_anonymous_ids_ctes(links, of=accumulated) }}

relinked_contact_days as (

    select distinct
        links.user_id as contact_id,
        actor_days.activity_date

    from relinked_anonymous_ids
    inner join {{ links }} as links
        on relinked_anonymous_ids.anonymous_id = links.anonymous_id
    inner join {{ ref('int_actor_activity_rolled_up') }} as actor_days
        on
            actor_days.actor_type = 'anonymous'
            and relinked_anonymous_ids.anonymous_id = actor_days.actor_id

),

changed_contact_days as (

    select
        contact_id,
        activity_date

    from new_contact_days
    where contact_id is not null
    union
    select
        contact_id,
        activity_date

    from relinked_contact_days

),
{%- endmacro -%}
