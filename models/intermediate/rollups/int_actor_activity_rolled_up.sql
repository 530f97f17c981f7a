{#-
    Behavioural measures (macros/features/activity_measures.sql) per actor and UTC day.
    Rolled up per actor, not per contact, so a change in identity resolution never
    invalidates it. Incremental: every actor-day that received a row since the last load
    (with lookback) is recomputed whole from its events and replaces the stored one.
-#}
{{ config(unique_key=['actor_type', 'actor_id', 'activity_date']) }}

with

events as (

    select * from {{ ref('int_events_unioned') }}

),

{% if is_incremental() %}
new_events as (

    select * from events
    {{ received_since_last_load(loaded_column='max_received_at') }}

),

changed_actor_days as (

    select distinct
        actor_type,
        actor_id,
        occurred_on

    from new_events

),

events_to_roll_up as (

    select events.*
    from events
    inner join changed_actor_days
        on
            events.actor_type = changed_actor_days.actor_type
            and events.actor_id = changed_actor_days.actor_id
            and events.occurred_on = changed_actor_days.occurred_on
    where events.occurred_on >= {{ earliest_day_received_since_last_load(
        ref('int_events_unioned'), loaded_column='max_received_at'
    ) }}

),
{% else %}
events_to_roll_up as (

    select * from events

),
{% endif %}

rolled_up as (

    select
        actor_type,
        actor_id,
        occurred_on as activity_date,
        {{- activity_measure_columns() }},
        max(received_at) as max_received_at

    from events_to_roll_up
    group by actor_type, actor_id, occurred_on

),

final as (

    select * from rolled_up

)

select * from final
