{#-
    Sessions per contact starting in the longest feature window, up to as_of: a contact's
    user actions, ordered in time, start a new session when var('session_timeout_minutes')
    (30) or more passed since their previous action.

    When the identity map at as_of is the map over everything loaded (no link after
    as_of), the starts come from int_session_starts_detected, kept across runs: a start
    depends on earlier actions only, so the stored ones up to as_of are exact. The
    contacts that links after as_of touch (identity_state_mode 'patched',
    int_actors_relinked_after_as_of) have their starts merged here from their actors'
    sessions (int_actor_sessions_detected, session_starts_flagged): an actor's session
    starting by as_of is one at as_of too (a start depends on earlier actions only). With
    the mode 'full' (a back-test with that mode, or it chosen by var) every contact's
    starts are computed from the events resolved at as_of, reading one timeout before the
    window so a start at its edge is exact.
-#}
{#- A view: contact_features counts its sessions per window once per run (its two
    not_null tests read it too); storing the 13M starts in the window at 100M events cost
    every run 1 to 2 s. -#}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_session_starts_detected') }}
-- depends_on: {{ ref('int_actors_relinked_after_as_of') }}
-- depends_on: {{ ref('int_actor_sessions_detected') }}
{%- set timeout = var('session_timeout_minutes') | int -%}
{%- set longest_window = var('feature_windows_days') | max %}
{%- set mode = identity_state_mode() %}
{%- set earliest_action = dbt.dateadd('minute', -timeout, window_start(longest_window)) %}

with

{% if mode in ('final', 'patched') %}
stored_starts as (

    select
        contact_id,
        session_started_at

    from {{ ref('int_session_starts_detected') }}
    where
        is_session_start
        {%- if mode == 'patched' %}
        and contact_id not in (
            select contact_id from {{ ref('int_actors_relinked_after_as_of') }}
        )
        {%- endif %}

),
{% endif %}
{% if mode == 'final' %}
starts as (

    select * from stored_starts

),
{% else %}
{% if mode == 'patched' %}
relinked_actors as (

    select * from {{ ref('int_actors_relinked_after_as_of') }}

),

{#- The relinked contacts' actor sessions that start by as_of and end late enough to
    reach the window. A session running past as_of is taken whole: its last action by
    as_of lies less than a timeout before as_of (the next one is less than a timeout
    later), so with either end no other session starts between it and as_of. -#}
intervals as (

    select
        relinked_actors.contact_id,
        actor_sessions.session_started_at,
        actor_sessions.session_ended_at,
        actor_sessions.max_received_at

    from {{ ref('int_actor_sessions_detected') }} as actor_sessions
    inner join relinked_actors
        on
            actor_sessions.actor_type = relinked_actors.actor_type
            and actor_sessions.actor_id = relinked_actors.actor_id
    where
        actor_sessions.is_session_start
        and actor_sessions.session_started_at <= {{ as_of() }}
        and actor_sessions.session_ended_at >= {{ earliest_action }}

),

flagged as (

    {{ session_starts_flagged('intervals', ['contact_id']) }}

),

computed_starts as (

    select
        contact_id,
        session_started_at

    from flagged
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
        and occurred_at >= {{ earliest_action }}

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

computed_starts as (

    select distinct
        contact_id,
        occurred_at as session_started_at

    from with_previous
    where
        previous_action_at is null
        or occurred_at >= {{ dbt.dateadd('minute', timeout, 'previous_action_at') }}

),
{% endif %}

starts as (

    {% if mode == 'patched' -%}
    select * from stored_starts
    union all
    {% endif -%}
    select * from computed_starts

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
