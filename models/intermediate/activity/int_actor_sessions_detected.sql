{#-
    Every session over all loaded history per actor (a user_id, or an anonymous_id on rows
    without one; int_events_unioned), before identity resolution: an actor's user action
    starts a session when its previous user action is var('session_timeout_minutes') or
    more earlier, or absent; the session ends with its last action before such a gap.
    Identity links never change an actor's sessions, so int_session_starts_detected merges
    a contact's sessions from its actors' (a re-linked contact without reading its events).

    Incremental: an actor's actions loaded since this model's last run are merged with
    its stored sessions that end less than one timeout before the earliest of them
    (session_starts_flagged): those may grow, join or start later. A stored session that
    no longer starts one is kept with is_session_start = false (delete+insert only
    replaces keys it writes); readers keep is_session_start rows only.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['actor_type', 'actor_id', 'session_started_at'],
) }}
{%- set timeout = var('session_timeout_minutes') | int %}
{%- set actor = ['actor_type', 'actor_id'] %}

with

{% if is_incremental() %}
new_events as (

    select * from {{ ref('int_events_unioned') }}
    {{ loaded_since_last_run() }}

),

new_actions as (

    select
        actor_type,
        actor_id,
        occurred_at,
        received_at

    from new_events
    where is_user_action and actor_id is not null

),

actors_with_new_actions as (

    select
        actor_type,
        actor_id,
        min(occurred_at) as earliest_new_action_at

    from new_actions
    group by actor_type, actor_id

),

{#- The stored sessions the new actions may touch: ending less than one timeout before
    the actor's earliest new action, or later. #}
stored_sessions as (

    select
        loaded.actor_type,
        loaded.actor_id,
        loaded.session_started_at,
        loaded.session_ended_at,
        loaded.max_received_at

    from {{ this }} as loaded
    inner join actors_with_new_actions
        on
            loaded.actor_type = actors_with_new_actions.actor_type
            and loaded.actor_id = actors_with_new_actions.actor_id
    where
        loaded.is_session_start
        and loaded.session_ended_at
        > {{ dbt.dateadd('minute', -timeout, 'actors_with_new_actions.earliest_new_action_at') }}

),

intervals as (

    select * from stored_sessions
    union all
    select
        actor_type,
        actor_id,
        occurred_at as session_started_at,
        occurred_at as session_ended_at,
        received_at as max_received_at

    from new_actions

),

flagged as (

    {{ session_starts_flagged('intervals', actor) }}

),

numbered as (

    select
        *,
        sum(case when is_session_start then 1 else 0 end) over (
            partition by actor_type, actor_id
            order by session_started_at asc, max_received_at desc
            rows between unbounded preceding and current row
        ) as session_number

    from flagged

),

sessions as (

    select
        actor_type,
        actor_id,
        min(session_started_at) as session_started_at,
        max(session_ended_at) as session_ended_at,
        max(case when is_session_start then max_received_at end) as max_received_at

    from numbered
    group by actor_type, actor_id, session_number

),

{#- A stored session another one absorbed: no longer a start. #}
absorbed_sessions as (

    select stored_sessions.*
    from stored_sessions
    left join sessions
        on
            stored_sessions.actor_type = sessions.actor_type
            and stored_sessions.actor_id = sessions.actor_id
            and stored_sessions.session_started_at = sessions.session_started_at
    where sessions.actor_id is null

),

merged as (

    select
        *,
        true as is_session_start

    from sessions
    union all
    select
        *,
        false as is_session_start

    from absorbed_sessions

),
{% else %}
actions as (

    select
        actor_type,
        actor_id,
        occurred_at,
        received_at

    from {{ ref('int_events_unioned') }}
    where is_user_action and actor_id is not null

),

{# Each action with its neighbours in time; at one instant the copy received last comes
    first, so only it can start a session. #}
with_neighbours as (

    select
        actor_type,
        actor_id,
        occurred_at,
        received_at,
        lag(occurred_at) over (
            partition by actor_type, actor_id order by occurred_at asc, received_at desc
        ) as previous_action_at,
        lead(occurred_at) over (
            partition by actor_type, actor_id order by occurred_at asc, received_at desc
        ) as next_action_at

    from actions

),

{# The first and the last action of each session (one row when they are the same). #}
bounds as (

    select
        actor_type,
        actor_id,
        occurred_at,
        received_at,
        coalesce(
            occurred_at >= {{ dbt.dateadd('minute', timeout, 'previous_action_at') }}, true
        ) as is_first,
        coalesce(
            next_action_at >= {{ dbt.dateadd('minute', timeout, 'occurred_at') }}, true
        ) as is_last

    from with_neighbours

),

bounds_paired as (

    select
        *,
        case
            when is_last then occurred_at
            else lead(occurred_at) over (
                partition by actor_type, actor_id order by occurred_at asc, received_at desc
            )
        end as session_ended_at

    from bounds
    where is_first or is_last

),

merged as (

    select
        actor_type,
        actor_id,
        occurred_at as session_started_at,
        session_ended_at,
        received_at as max_received_at,
        true as is_session_start

    from bounds_paired
    where is_first

),
{% endif %}

final as (

    select
        *,
        {{ load_stamp() }} as dbt_loaded_at

    from merged

)

select * from final
