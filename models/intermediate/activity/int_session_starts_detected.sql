{#-
    Every session start over all loaded history, per contact resolved through the identity
    map over everything loaded (not bounded by as_of): a contact's user action starts a
    session when its previous user action is var('session_timeout_minutes') or more
    earlier, or absent. Later actions never change an earlier start, so the starts up to
    any as_of are exact whenever the identity map at as_of is this one.

    Incremental: a new or late action at t only changes the flags from t on, so a contact
    with actions loaded since this model's last run is recomputed from its
    earliest new action, reading its actions from one timeout before; a contact that an
    anonymous_id was newly linked to, or may have moved from or to (a shared device), is
    recomputed over its whole history. A stored start that is no longer one is kept with
    is_session_start = false (delete+insert only replaces keys it writes); readers keep
    is_session_start rows only.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['contact_id', 'session_started_at'],
) }}
{%- set timeout = var('session_timeout_minutes') | int %}

{#- int_events_unioned, the links and the identity map are read by each CTE that needs
    them, not through shared import CTEs: DuckDB materializes a CTE read several times
    (every row, on every run), which would defeat the pruning. #}
{%- set links = ref('int_identity_links_rolled_up') %}
{%- set anonymous_id_map = ref('int_anonymous_ids_mapped_to_contacts_latest') %}

with

{% if is_incremental() %}
new_events as (

    select * from {{ ref('int_events_unioned') }}
    {{ loaded_since_last_run() }}

),

new_actions as (

    select
        new_events.occurred_at,
        coalesce(new_events.user_id, anonymous_id_map.contact_id) as contact_id

    from new_events
    left join {{ anonymous_id_map }} as anonymous_id_map
        on
            new_events.user_id is null
            and new_events.anonymous_id = anonymous_id_map.anonymous_id
    where new_events.is_user_action

),

contacts_with_new_actions as (

    select
        contact_id,
        min(occurred_at) as recompute_from

    from new_actions
    where contact_id is not null
    group by contact_id

),

{{ relinked_anonymous_ids_ctes(links) }}

relinked_contacts as (

    select distinct links.user_id as contact_id
    from {{ links }} as links
    inner join relinked_anonymous_ids
        on links.anonymous_id = relinked_anonymous_ids.anonymous_id

),

affected_contacts as (

    select
        coalesce(relinked_contacts.contact_id, contacts_with_new_actions.contact_id)
            as contact_id,
        relinked_contacts.contact_id is not null as is_whole_history,
        case
            when relinked_contacts.contact_id is null
                then contacts_with_new_actions.recompute_from
        end as recompute_from

    from contacts_with_new_actions
    full outer join relinked_contacts
        on contacts_with_new_actions.contact_id = relinked_contacts.contact_id

),

{%- set earliest_new_day = earliest_day_loaded_since_last_run(ref('int_events_unioned')) %}

recent_events as (

    select * from {{ ref('int_events_unioned') }}
    where
        occurred_at >= {{ dbt.dateadd('minute', -timeout, 'cast(' ~ earliest_new_day ~ ' as timestamp)') }}

),

recent_actions as (

    select
        recent_events.occurred_at,
        recent_events.received_at,
        affected_contacts.contact_id

    from recent_events
    left join {{ anonymous_id_map }} as anonymous_id_map
        on
            recent_events.user_id is null
            and recent_events.anonymous_id = anonymous_id_map.anonymous_id
    inner join affected_contacts
        on coalesce(recent_events.user_id, anonymous_id_map.contact_id) = affected_contacts.contact_id
    where
        recent_events.is_user_action
        and not affected_contacts.is_whole_history
        and recent_events.occurred_at
        >= {{ dbt.dateadd('minute', -timeout, 'affected_contacts.recompute_from') }}

),

{#- The relinked contacts' actors: their user_id and the anonymous_ids mapped to them. #}
relinked_actors as (

    select
        'user' as actor_type,
        contact_id as actor_id,
        contact_id

    from relinked_contacts
    union all
    select
        'anonymous' as actor_type,
        anonymous_id_map.anonymous_id as actor_id,
        anonymous_id_map.contact_id

    from {{ anonymous_id_map }} as anonymous_id_map
    inner join relinked_contacts
        on anonymous_id_map.contact_id = relinked_contacts.contact_id

),

relinked_actions as (

    {{ events_of_actors('relinked_actors', ['occurred_at', 'received_at'], 'events.is_user_action') }}

),

actions as (

    select
        occurred_at,
        received_at,
        contact_id

    from recent_actions
    union all
    select
        occurred_at,
        received_at,
        contact_id

    from relinked_actions

),
{% else %}
events as (

    select * from {{ ref('int_events_unioned') }}

),

actions as (

    select
        events.occurred_at,
        events.received_at,
        coalesce(events.user_id, anonymous_id_map.contact_id) as contact_id

    from events
    left join {{ anonymous_id_map }} as anonymous_id_map
        on
            events.user_id is null
            and events.anonymous_id = anonymous_id_map.anonymous_id
    where events.is_user_action

),
{% endif %}

{#- Ties (the same instant) start at most one session: the copy received last comes
    first, so max_received_at is the latest receipt at that instant. #}
with_previous as (

    select
        contact_id,
        occurred_at,
        received_at as max_received_at,
        lag(occurred_at) over (
            partition by contact_id order by occurred_at asc, received_at desc
        ) as previous_action_at

    from actions
    where contact_id is not null

),

starts as (

    select
        contact_id,
        occurred_at as session_started_at,
        max_received_at

    from with_previous
    where
        previous_action_at is null
        or occurred_at >= {{ dbt.dateadd('minute', timeout, 'previous_action_at') }}

),

{% if is_incremental() %}
recomputed_starts as (

    select starts.*
    from starts
    inner join affected_contacts
        on starts.contact_id = affected_contacts.contact_id
    where
        affected_contacts.is_whole_history
        or starts.session_started_at >= affected_contacts.recompute_from

),

stored_starts as (

    select loaded.*
    from {{ this }} as loaded
    inner join affected_contacts
        on loaded.contact_id = affected_contacts.contact_id
    where
        loaded.is_session_start
        and (
            affected_contacts.is_whole_history
            or loaded.session_started_at >= affected_contacts.recompute_from
        )

),

merged as (

    select
        coalesce(recomputed_starts.contact_id, stored_starts.contact_id) as contact_id,
        coalesce(recomputed_starts.session_started_at, stored_starts.session_started_at)
            as session_started_at,
        coalesce(recomputed_starts.max_received_at, stored_starts.max_received_at)
            as max_received_at,
        recomputed_starts.contact_id is not null as is_session_start

    from recomputed_starts
    full outer join stored_starts
        on
            recomputed_starts.contact_id = stored_starts.contact_id
            and recomputed_starts.session_started_at = stored_starts.session_started_at

),
{% else %}
merged as (

    select
        *,
        true as is_session_start

    from starts

),
{% endif %}

final as (

    select
        *,
        {{ load_stamp() }} as dbt_loaded_at

    from merged

)

select * from final
