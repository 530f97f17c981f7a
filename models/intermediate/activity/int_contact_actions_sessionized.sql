{#-
    Sessions per contact: a contact's user actions, ordered in time, start a new session
    when var('session_timeout_minutes') (30) or more passed since their previous action.
    Only sessions starting in the longest feature window are kept; actions from one
    timeout before it are read too, so whether a session starts inside it is exact.
-#}
{%- set timeout = var('session_timeout_minutes') | int -%}
{%- set longest_window = var('feature_windows_days') | max -%}

with

actions as (

    select
        contact_id,
        occurred_at

    from {{ ref('int_events_resolved_to_contacts') }}
    where
        is_user_action
        and occurred_at >= {{ dbt.dateadd('minute', -timeout, window_start(longest_window)) }}

),

with_previous as (

    select
        contact_id,
        occurred_at,
        lag(occurred_at) over (
            partition by contact_id order by occurred_at
        ) as previous_action_at

    from actions

),

flagged as (

    select
        *,
        case
            when previous_action_at is null then 1
            when occurred_at >= {{ dbt.dateadd('minute', timeout, 'previous_action_at') }} then 1
            else 0
        end as is_session_start

    from with_previous

),

numbered as (

    select
        *,
        sum(is_session_start) over (
            partition by contact_id
            order by occurred_at
            rows between unbounded preceding and current row
        ) as session_number

    from flagged

),

sessions as (

    select
        contact_id,
        session_number,
        min(occurred_at) as session_started_at,
        max(occurred_at) as session_last_action_at,
        count(*) as user_actions

    from numbered
    group by contact_id, session_number

),

final as (

    select
        contact_id,
        session_started_at,
        session_last_action_at,
        user_actions

    from sessions
    where session_started_at >= {{ window_start(longest_window) }}

)

select * from final
