{#-
    The identity map: each anonymous_id seen with a user_id at or before as_of belongs to
    the user_id it was seen with most recently (by occurred_at; ties go to the greatest
    user_id, so the result is deterministic). Days before as_of's day come from the daily
    rollup; as_of's own day is read from the events, up to as_of only. When no link
    happened after as_of, this is the map over everything loaded, read as it is; when
    some did (identity_state_mode 'patched'), only the anonymous_ids with such a link
    are mapped again here, and the others are read from that map.
-#}
-- depends_on: {{ ref('int_anonymous_ids_mapped_to_contacts_latest') }}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_events_unioned') }}
{%- set mode = identity_state_mode() %}

with

{% if mode != 'full' %}
latest_map as (

    select
        anonymous_id,
        contact_id,
        first_linked_at,
        last_linked_at,
        linked_user_count

    from {{ ref('int_anonymous_ids_mapped_to_contacts_latest') }}

),
{% endif %}
{% if mode == 'final' %}
final as (

    select * from latest_map

)
{% else %}
{% if mode == 'patched' %}
anonymous_ids_linked_after_as_of as (

    select distinct anonymous_id
    from {{ ref('int_identity_links_rolled_up') }}
    where last_linked_at > {{ as_of() }}

),

settled as (

    select * from latest_map
    where anonymous_id not in (select anonymous_id from anonymous_ids_linked_after_as_of)

),
{% endif %}
{#- The rollup's links (with the mode 'patched', of the anonymous_ids to map again). #}
rolled_up_links as (

    select * from {{ ref('int_identity_links_rolled_up') }}
    {%- if mode == 'patched' %}
    where anonymous_id in (select anonymous_id from anonymous_ids_linked_after_as_of)
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
    {%- if mode == 'patched' %}
    where anonymous_id in (select anonymous_id from anonymous_ids_linked_after_as_of)
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

    {% if mode == 'patched' -%}
    select * from settled
    union all
    {% endif -%}
    select * from mapped

)
{% endif %}

select * from final
