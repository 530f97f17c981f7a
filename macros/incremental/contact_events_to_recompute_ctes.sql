{#-
    The first CTEs of a model that keeps per-contact state at as_of, built from some of
    the resolved events (`events_filter`, a condition on int_events_resolved_to_contacts):
    a CTE named `name` with those events of every contact this run recomputes. Moving
    as_of forward (recompute_changed_contacts_since) that is only the contacts whose state
    can have moved (contacts_with_changed_events_ctes), otherwise every contact. The
    model ends with recomputed_contacts_written_ctes. `name` is not materialized: a model
    reading it several times with different filters (deliveries, opens) would otherwise
    store every row of it with all its columns.
-#}
{%- macro contact_events_to_recompute_ctes(name, events_filter) -%}
{%- set previous = recompute_changed_contacts_since() -%}
{%- if previous is not none %}
{{ contacts_with_changed_events_ctes(events_filter, previous) }}

{% endif -%}
{{ name }} as {{ not_materialized() }} (

    select * from {{ ref('int_events_resolved_to_contacts') }}
    where
        {{ events_filter }}
        {%- if previous is not none %}
        and contact_id in (select contact_id from contacts_to_recompute)
        {%- endif %}

),
{%- endmacro -%}
