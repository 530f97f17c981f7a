{#-
    The identity map at as_of: each anonymous_id seen with a user_id at or before as_of
    belongs to the user_id it was seen with most recently (int_anonymous_ids_remapped_at_as_of
    holds the rule). A view: when no link happened after as_of (identity_state_mode
    'final'), this is the map over everything loaded, read as it is, so no run copies it;
    when some did ('patched'), the anonymous_ids with such a link are read from their
    mapping at as_of and the others from that map; with 'full', all are mapped at as_of.
-#}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_anonymous_ids_mapped_to_contacts_latest') }}
-- depends_on: {{ ref('int_anonymous_ids_remapped_at_as_of') }}
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
{% if mode == 'patched' %}
settled as (

    select * from latest_map
    where anonymous_id not in ({{ anonymous_ids_linked_after_as_of() }})

),
{% endif %}
{% if mode != 'final' %}
remapped as (

    select * from {{ ref('int_anonymous_ids_remapped_at_as_of') }}

),
{% endif %}

final as (

    {% if mode == 'final' -%}
    select * from latest_map
    {%- elif mode == 'patched' -%}
    select * from settled
    union all
    select * from remapped
    {%- else -%}
    select * from remapped
    {%- endif %}

)

select * from final
