{#-
    Every (anonymous_id, user_id) pair seen together on any valid row, per UTC day, with
    the first and last time it was seen that day. Incremental: pairs from newly received
    rows are merged into their day with least/greatest, which is idempotent, so re-reading
    the lookback window changes nothing.
-#}
{{ config(unique_key=['anonymous_id', 'user_id', 'linked_on']) }}

with

events as (

    select * from {{ ref('int_events_unioned') }}
    {{ received_since_last_load(loaded_column='max_received_at') }}

),

linking_events as (

    select * from events
    where anonymous_id is not null and user_id is not null

),

new_links as (

    select
        anonymous_id,
        user_id,
        occurred_on as linked_on,
        min(occurred_at) as first_linked_at,
        max(occurred_at) as last_linked_at,
        max(received_at) as max_received_at

    from linking_events
    group by anonymous_id, user_id, occurred_on

),

{% if is_incremental() %}
merged as (

    select
        new_links.anonymous_id,
        new_links.user_id,
        new_links.linked_on,
        least(
            new_links.first_linked_at,
            coalesce(loaded.first_linked_at, new_links.first_linked_at)
        ) as first_linked_at,
        greatest(
            new_links.last_linked_at,
            coalesce(loaded.last_linked_at, new_links.last_linked_at)
        ) as last_linked_at,
        coalesce(
            greatest(new_links.max_received_at, loaded.max_received_at),
            new_links.max_received_at,
            loaded.max_received_at
        ) as max_received_at

    from new_links
    left join {{ this }} as loaded
        on
            new_links.anonymous_id = loaded.anonymous_id
            and new_links.user_id = loaded.user_id
            and new_links.linked_on = loaded.linked_on

),
{% else %}
merged as (

    select * from new_links

),
{% endif %}

final as (

    select * from merged

)

select * from final
