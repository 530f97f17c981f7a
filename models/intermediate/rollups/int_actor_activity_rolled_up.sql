{#-
    Behavioural measures (macros/features/activity_measures.sql) per actor and UTC day.
    Rolled up per actor, not per contact, so a change in identity resolution never
    invalidates it. Incremental: every actor-day with an event loaded since this model's
    last run (loaded_since_last_run, exact: no lookback) is recomputed whole from its
    events and replaces the stored one.
-#}
{{ config(
    unique_key=['actor_type', 'actor_id', 'activity_date'],
    post_hook="{{ insert_remaining_slices() }}",
) }}

{#- int_events_unioned is read by each CTE that needs it, not through one shared CTE:
    DuckDB materializes a CTE read several times, which would defeat the pruning. #}

with

{% if is_incremental() %}
{%- set earliest_new_day = earliest_day_loaded_since_last_run(ref('int_events_unioned')) %}
new_events as (

    select * from {{ ref('int_events_unioned') }}
    {{ loaded_since_last_run() }}

),

changed_actor_days as (

    select distinct
        actor_type,
        actor_id,
        occurred_on

    from new_events

),

{#- occurred_at (stored) as well as occurred_on (derived): lets the scan skip old blocks. #}
recent_events as (

    select * from {{ ref('int_events_unioned') }}
    where
        occurred_at >= cast({{ earliest_new_day }} as timestamp)
        and occurred_on >= {{ earliest_new_day }}

),

events_to_roll_up as (

    select recent_events.*
    from recent_events
    inner join changed_actor_days
        on
            recent_events.actor_type = changed_actor_days.actor_type
            and recent_events.actor_id = changed_actor_days.actor_id
            and recent_events.occurred_on = changed_actor_days.occurred_on

),
{% else %}
{#- A full build rolls up one slice of days per statement (full_build_day_slice). #}
events_to_roll_up as (

    select * from {{ ref('int_events_unioned') }}
    where {{ full_build_day_slice('occurred_at', ref('int_events_unioned')) }}

),
{% endif %}

rolled_up as (

    select
        actor_type,
        actor_id,
        occurred_on as activity_date,
        {{- activity_measure_columns() }},
        max(received_at) as max_received_at,
        {{ load_stamp() }} as dbt_loaded_at

    from events_to_roll_up
    group by actor_type, actor_id, occurred_on

),

final as (

    select * from rolled_up

)

select * from final
