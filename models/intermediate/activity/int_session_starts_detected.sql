{#-
    Every session start over all loaded history, per contact resolved through the identity
    map over everything loaded (not bounded by as_of), merged from the sessions of the
    contact's actors (int_actor_sessions_detected, session_starts_flagged): a contact's
    user action starts a session when its previous user action is
    var('session_timeout_minutes') or more earlier, or absent. Later actions never change
    an earlier start, so the starts up to any as_of are exact whenever the identity map at
    as_of is this one.

    Incremental: a contact with actor sessions written since this model's last run is
    recomputed from the earliest of them; a contact that an anonymous_id was newly linked
    to, or may have moved from or to (a shared device), over its whole history. Both read
    actor sessions, not events: a re-linked contact costs its own sessions, not a scan of
    every event. A stored start that is no longer one is kept with is_session_start =
    false (delete+insert only replaces keys it writes); readers keep is_session_start rows
    only.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['contact_id', 'session_started_at'],
) }}
{%- set timeout = var('session_timeout_minutes') | int %}

{#- The links, the identity map and the actor sessions are read by each CTE that needs
    them, not through shared import CTEs: DuckDB materializes a CTE read several times
    (every row, on every run), which would defeat the pruning. #}
{%- set links = ref('int_identity_links_rolled_up') %}
{%- set anonymous_id_map = ref('int_anonymous_ids_mapped_to_contacts_latest') %}
{%- set actor_sessions = ref('int_actor_sessions_detected') %}

with

{% if is_incremental() %}
changed_actor_sessions as (

    select * from {{ actor_sessions }}
    {{ loaded_since_last_run() }}

),

changed_sessions_resolved as (

    select
        changed_actor_sessions.session_started_at,
        case
            when changed_actor_sessions.actor_type = 'user' then changed_actor_sessions.actor_id
            else anonymous_id_map.contact_id
        end as contact_id

    from changed_actor_sessions
    left join {{ anonymous_id_map }} as anonymous_id_map
        on
            changed_actor_sessions.actor_type = 'anonymous'
            and changed_actor_sessions.actor_id = anonymous_id_map.anonymous_id

),

contacts_with_changed_sessions as (

    select
        contact_id,
        min(session_started_at) as recompute_from

    from changed_sessions_resolved
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
        coalesce(relinked_contacts.contact_id, contacts_with_changed_sessions.contact_id)
            as contact_id,
        relinked_contacts.contact_id is not null as is_whole_history,
        case
            when relinked_contacts.contact_id is null
                then contacts_with_changed_sessions.recompute_from
        end as recompute_from

    from contacts_with_changed_sessions
    full outer join relinked_contacts
        on contacts_with_changed_sessions.contact_id = relinked_contacts.contact_id

),

{#- The affected contacts' actors: their user_id and the anonymous_ids mapped to them. #}
affected_actors as (

    select
        'user' as actor_type,
        contact_id as actor_id,
        affected_contacts.*

    from affected_contacts
    union all
    select
        'anonymous' as actor_type,
        anonymous_id_map.anonymous_id as actor_id,
        affected_contacts.*

    from {{ anonymous_id_map }} as anonymous_id_map
    inner join affected_contacts
        on anonymous_id_map.contact_id = affected_contacts.contact_id

),

{#- Their sessions that can start or continue a session from recompute_from on: ending
    less than one timeout before it, or later (all of them for a whole history). #}
intervals as (

    select
        affected_actors.contact_id,
        actor_sessions.session_started_at,
        actor_sessions.session_ended_at,
        actor_sessions.max_received_at

    from {{ actor_sessions }} as actor_sessions
    inner join affected_actors
        on
            actor_sessions.actor_type = affected_actors.actor_type
            and actor_sessions.actor_id = affected_actors.actor_id
    where
        actor_sessions.is_session_start
        and (
            affected_actors.is_whole_history
            or actor_sessions.session_ended_at
            > {{ dbt.dateadd('minute', -timeout, 'affected_actors.recompute_from') }}
        )

),
{% else %}
intervals as (

    select
        actor_sessions.session_started_at,
        actor_sessions.session_ended_at,
        actor_sessions.max_received_at,
        case
            when actor_sessions.actor_type = 'user' then actor_sessions.actor_id
            else anonymous_id_map.contact_id
        end as contact_id

    from {{ actor_sessions }} as actor_sessions
    left join {{ anonymous_id_map }} as anonymous_id_map
        on
            actor_sessions.actor_type = 'anonymous'
            and actor_sessions.actor_id = anonymous_id_map.anonymous_id
    where actor_sessions.is_session_start

),
{% endif %}

flagged as (

    {{ session_starts_flagged('intervals', ['contact_id']) }}

),

starts as (

    select
        contact_id,
        session_started_at,
        max_received_at

    from flagged
    where is_session_start and contact_id is not null

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
