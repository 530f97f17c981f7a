{#-
    The identity map at as_of for the anonymous_ids it cannot take from the map over
    everything loaded (int_anonymous_ids_mapped_to_contacts_latest): each anonymous_id
    seen with a user_id at or before as_of belongs to the user_id it was seen with most
    recently (by occurred_at; ties go to the greatest user_id, so the result is
    deterministic). Days before as_of's day come from the daily rollup; as_of's own day is
    read from the events, up to as_of only. Which anonymous_ids, by identity_state_mode:
    none when no link happened after as_of ('final': the latest map is the map at as_of),
    those with a link after as_of ('patched'), every one ('full').
    int_anonymous_ids_mapped_to_contacts (a view) puts them together with the latest map.
-#}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_events_unioned') }}
{%- set mode = identity_state_mode() %}
{%- set remapped_ids = {
    'final': 'false',
    'patched': 'anonymous_id in (select anonymous_id from anonymous_ids_linked_after_as_of)',
    'full': none,
}[mode] %}

with

{% if mode == 'patched' %}
anonymous_ids_linked_after_as_of as (

    {{ anonymous_ids_linked_after_as_of() }}

),
{% endif %}
{#- The rollup's links of the anonymous_ids to map here. #}
rolled_up_links as (

    select * from {{ ref('int_identity_links_rolled_up') }}
    {%- if remapped_ids %}
    where {{ remapped_ids }}
    {%- endif %}

),

links_before_as_of_day as (

    select
        anonymous_id,
        user_id,
        first_linked_at,
        last_linked_at

    from rolled_up_links
    where linked_on < {{ as_of_date() }}

),

events_on_as_of_day as (

    select * from {{ ref('int_events_unioned') }}
    where {{ in_last_n_days('occurred_at', 1) }}

),

links_on_as_of_day as (

    select
        anonymous_id,
        user_id,
        min(occurred_at) as first_linked_at,
        max(occurred_at) as last_linked_at

    from events_on_as_of_day
    where anonymous_id is not null and user_id is not null
    group by anonymous_id, user_id

),

links as (

    select * from links_before_as_of_day
    union all
    select * from links_on_as_of_day
    {%- if remapped_ids %}
    where {{ remapped_ids }}
    {%- endif %}

),

pairs as (

    select
        anonymous_id,
        user_id,
        min(first_linked_at) as first_linked_at,
        max(last_linked_at) as last_linked_at

    from links
    group by anonymous_id, user_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by anonymous_id
            order by last_linked_at desc, user_id desc
        ) as recency_rank,
        count(*) over (partition by anonymous_id) as linked_user_count

    from pairs

),

mapped as (

    select
        anonymous_id,
        user_id as contact_id,
        first_linked_at,
        last_linked_at,
        linked_user_count

    from ranked
    where recency_rank = 1

),

final as (

    select * from mapped

)

select * from final
