{#-
    Per contact with an identify at or before as_of (anonymous identifies resolved through
    the identity map at as_of), its latest identify traits: each the most recent non-null
    value among the contact's identifies up to as_of. int_contacts_identified joins them
    to the contacts known at as_of.

    Incremental: each row keeps the as_of it was computed at (evaluated_as_of). Moving
    as_of forward, only the contacts whose identifies or links moved since then
    (contacts_with_changed_events_ctes) are recomputed, from all their identifies; every
    other contact is left as it is. A recomputed contact left with no identify is written
    back with every trait null (delete+insert only replaces the keys it writes), which
    reads the same as no row. A first run or as_of moved back computes every contact.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='contact_id',
) }}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
{%- set traits = identify_traits() -%}
{%- set recency = ['occurred_at', 'received_at', 'event_id'] %}

with

{{ contact_events_to_recompute_ctes('identifies', "source_table = 'identifies'") }}

latest_traits as (

    select
        contact_id,
        {%- for trait in traits %}
        {%- set latest = arg_max(trait, recency, where=trait ~ ' is not null') %}
        {{ latest }} as {{ trait }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from identifies
    group by contact_id

),

{#- a stored contact recomputed with no identify left: a row of nulls replaces its own #}
{%- set null_traits = [] %}
{%- for trait in traits %}
{%- do null_traits.append([trait, 'cast(null as string)']) %}
{%- endfor %}
{{ recomputed_contacts_written_ctes('latest_traits', 'latest_traits', null_traits) }}

select * from final
