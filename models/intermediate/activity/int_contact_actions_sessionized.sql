{#-
    Sessions per contact starting in the longest feature window, up to as_of: a contact's
    user actions, ordered in time, start a new session when var('session_timeout_minutes')
    (30) or more passed since their previous action.

    When the identity map at as_of is the map over everything loaded (no link after
    as_of), the starts come from int_session_starts_detected, kept across runs: a start
    depends on earlier actions only, so the stored ones up to as_of are exact. Otherwise
    (a back-test, links past as_of) they are computed here from the events resolved at
    as_of, reading one timeout before the window so a start at its edge is exact.
-#}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_session_starts_detected') }}
{%- set timeout = var('session_timeout_minutes') | int -%}
{%- set longest_window = var('feature_windows_days') | max %}

with

{% if identity_map_is_final_at_as_of() %}
starts as (

    select * from {{ ref('int_session_starts_detected') }}
    where is_session_start

),
{% else %}
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

starts as (

    select distinct
        contact_id,
        occurred_at as session_started_at

    from with_previous
    where
        previous_action_at is null
        or occurred_at >= {{ dbt.dateadd('minute', timeout, 'previous_action_at') }}

),
{% endif %}

final as (

    select
        contact_id,
        session_started_at

    from starts
    where {{ in_last_n_days('session_started_at', longest_window) }}

)

select * from final
