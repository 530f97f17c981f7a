{#-
    The identity map over everything loaded, not bounded by as_of: each anonymous_id seen
    with a user_id belongs to the user_id it was seen with most recently (ties: the
    greatest user_id), the rule of int_anonymous_ids_mapped_to_contacts. Incremental state
    that must not depend on as_of (session starts, contact-days) resolves actors through
    it, and it is the map at as_of whenever no link happened after as_of
    (identity_map_is_final_at_as_of).

    Incremental: an anonymous_id with link rows loaded since this model's last run is
    recomputed from all its link rows; a link never goes away, so neither does a mapped
    anonymous_id.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='anonymous_id',
) }}

with

{% if is_incremental() %}
relinked_anonymous_ids as (

    select distinct anonymous_id
    from {{ ref('int_identity_links_rolled_up') }}
    {{ loaded_since_last_run() }}

),

links as (

    select links.*
    from {{ ref('int_identity_links_rolled_up') }} as links
    inner join relinked_anonymous_ids
        on links.anonymous_id = relinked_anonymous_ids.anonymous_id

),
{% else %}
links as (

    select * from {{ ref('int_identity_links_rolled_up') }}

),
{% endif %}

pairs as (

    select
        anonymous_id,
        user_id,
        min(first_linked_at) as first_linked_at,
        max(last_linked_at) as last_linked_at,
        max(max_received_at) as max_received_at

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
        count(*) over (partition by anonymous_id) as linked_user_count,
        max(max_received_at) over (partition by anonymous_id) as links_max_received_at

    from pairs

),

final as (

    select
        anonymous_id,
        user_id as contact_id,
        first_linked_at,
        last_linked_at,
        linked_user_count,
        links_max_received_at as max_received_at,
        {{ load_stamp() }} as dbt_loaded_at

    from ranked
    where recency_rank = 1

)

select * from final
