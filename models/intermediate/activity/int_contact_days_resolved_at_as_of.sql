{#-
    The contact-days this as_of combines from the actor-day rollup and the events, with
    anonymous actors resolved through this as_of's identity map:
      - as_of's own day, from its events up to as_of;
      - the earlier days of the contacts whose stored days do not hold at as_of
        (identity_state_mode): with links after as_of ('patched'), the relinked
        contacts' (int_actors_relinked_after_as_of); with 'full', every contact's.
    A table, built once per run. The view int_actor_activity_resolved_to_contacts adds
    these rows to the stored days; its two readers (int_contacts_identified,
    contact_features) each computed them again while they were part of the view.
-#}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_actor_activity_rolled_up') }}
-- depends_on: {{ ref('int_actors_relinked_after_as_of') }}
{%- set mode = identity_state_mode() %}

with

{% if mode == 'patched' %}
relinked_actors as (

    select * from {{ ref('int_actors_relinked_after_as_of') }}

),
{% endif %}
{% if mode != 'final' %}
{#- The rollup's actor-days (with the mode 'patched', of the relinked contacts' actors). #}
rolled_up_actor_days as (

    select rolled_up.*
    from {{ ref('int_actor_activity_rolled_up') }} as rolled_up
    {%- if mode == 'patched' %}
    where exists (
        select 1
        from relinked_actors
        where
            relinked_actors.actor_type = rolled_up.actor_type
            and relinked_actors.actor_id = rolled_up.actor_id
    )
    {%- endif %}

),

actor_days_before_as_of_day as (

    select {{ star_except(['max_received_at', 'dbt_loaded_at']) }}
    from rolled_up_actor_days
    where activity_date < {{ as_of_date() }}

),
{% endif %}

events_on_as_of_day as (

    select * from {{ ref('int_events_unioned') }}
    where {{ in_last_n_days('occurred_at', 1) }}

),

actor_days_on_as_of_day as (

    select
        actor_type,
        actor_id,
        occurred_on as activity_date,
        {{- activity_measure_columns() }}

    from events_on_as_of_day
    group by actor_type, actor_id, occurred_on

),

anonymous_id_map as (

    select * from {{ ref('int_anonymous_ids_mapped_to_contacts') }}

),

actor_days as (

    {% if mode != 'final' -%}
    select * from actor_days_before_as_of_day
    union all
    {% endif -%}
    select * from actor_days_on_as_of_day

),

resolved as (

    select
        actor_days.*,
        case
            when actor_days.actor_type = 'user' then actor_days.actor_id
            else anonymous_id_map.contact_id
        end as contact_id

    from actor_days
    left join anonymous_id_map
        on
            actor_days.actor_type = 'anonymous'
            and actor_days.actor_id = anonymous_id_map.anonymous_id

),

contact_days as (

    select
        contact_id,
        activity_date,
        {{- combined_activity_measure_columns() }}

    from resolved
    where contact_id is not null
    group by contact_id, activity_date

),

final as (

    select * from contact_days

)

select * from final
