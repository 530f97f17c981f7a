{#-
    Behavioural measures per contact and UTC day, up to as_of: the actor-day rollup for
    days before as_of's day, as_of's own day computed from its events up to as_of, and
    anonymous actors resolved to contacts through the identity map of this as_of.

    When that map is the map over everything loaded (no link after as_of), the days
    before as_of's day are read as they are from int_contact_activity_accumulated, kept
    across runs, and only as_of's own day is combined here. When some links happened after
    as_of (identity_state_mode 'patched'), the contacts they touch
    (int_actors_relinked_after_as_of) have their days combined from the actor-day rollup
    instead; with the mode 'full', every contact does. A view: its readers
    (int_contacts_identified, contact_features) scan the stored days directly, with no copy
    of all history per run.

    is_stored_day tells the two parts apart: a reader that wants only the days combined
    here (as_of's own day, the relinked contacts' days) filters on `not is_stored_day`,
    and the engine then skips the stored days without reading them (a constant per part).
-#}
{{ config(materialized='view') }}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_contact_activity_accumulated') }}
-- depends_on: {{ ref('int_actor_activity_rolled_up') }}
-- depends_on: {{ ref('int_actors_relinked_after_as_of') }}
{%- set mode = identity_state_mode() %}
{%- set use_accumulated = mode in ('final', 'patched') %}

with

{% if mode == 'patched' %}
relinked_actors as (

    select * from {{ ref('int_actors_relinked_after_as_of') }}

),
{% endif %}
{% if use_accumulated %}
contact_days_before_as_of_day as (

    select
        contact_id,
        activity_date,
        {%- for measure in activity_measures() %}
        {{ measure.name }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from {{ ref('int_contact_activity_accumulated') }}
    where
        activity_date < {{ as_of_date() }}
        and actor_days > 0
        {%- if mode == 'patched' %}
        and contact_id not in (select contact_id from relinked_actors)
        {%- endif %}

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

    {% if use_accumulated -%}
    select
        *,
        true as is_stored_day

    from contact_days_before_as_of_day
    union all
    {% endif -%}
    select
        *,
        false as is_stored_day

    from contact_days

)

select * from final
