{#-
    Every (anonymous_id, user_id) pair seen together on any valid row, per UTC day, with
    the first and last time it was seen that day. Incremental: pairs from rows loaded since
    this model's last run are merged into their day with least/greatest (idempotent), and
    the merged rows are stamped with this run's load stamp.
-#}
{{ config(
    unique_key=['anonymous_id', 'user_id', 'linked_on'],
    post_hook="{{ insert_remaining_slices() }}",
) }}

with

events as (

    select * from {{ ref('int_events_unioned') }}
    {% if is_incremental() -%}
    {{ loaded_since_last_run() }}
    {%- else -%}
    {#- A full build merges one slice of days per statement (full_build_day_slice). #}
    where {{ full_build_day_slice('occurred_at', ref('int_events_unioned')) }}
    {%- endif %}

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
{#- The stored links of the days new links fall on (linked_on is an occurred_on of a new
    row): the table is in day order, so zone maps skip every older day, and a run with
    nothing new reads none of it instead of hashing every stored link. #}
loaded as (

    select * from {{ this }}
    where linked_on >= {{ earliest_day_loaded_since_last_run(ref('int_events_unioned')) }}

),

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
    left join loaded
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

    select
        *,
        {{ load_stamp() }} as dbt_loaded_at

    from merged

)

select * from final
