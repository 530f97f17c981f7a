{#-
    The body of a segment model, from its definition (YAML in the model file, parsed with
    fromyaml): the contacts of contact_features that satisfy `rule` at as_of, one row each
    with a human-readable reason. A rule of event conditions alone takes its candidates
    from them, not from contact_features (see below). Keys:
      rule        the rule (see compile_segment_rule); required
      activation  where and how the segment is synced (read by the sync engine)
      health      thresholds for segment_health's checks, overriding var('segment_health_defaults')
    The definition is also stored in the model's meta (config.meta.segment) for the
    catalog, Dagster and the syncs. A definition error stops compilation with a message
    naming the segment, where in the rule, and the problem.
-#}
{%- macro segment(definition) -%}
    {%- set segment_name = model.name if model.resource_type != 'unit_test' else this.identifier -%}
    {%- if definition is not mapping -%}
        {{ segment_error(segment_name, '', 'the definition must be a YAML mapping with a rule:') }}
    {%- endif -%}
    {%- for key in definition -%}
        {%- if key not in ['rule', 'activation', 'health'] -%}
            {{ segment_error(segment_name, '', "unknown key '" ~ key ~ "'; allowed: rule, activation, health") }}
        {%- endif -%}
    {%- endfor -%}
    {%- if definition.rule is not defined -%}
        {{ segment_error(segment_name, '', 'the definition has no rule:') }}
    {%- endif -%}
    {{ config(meta={'segment': definition}) }}
    {#- Each event condition reads the resolved events itself (context.events), not
        through a shared import CTE: a CTE read by several conditions is one scan whose
        filter is the OR of theirs, so a 30-day page condition beside a 90-day order
        condition resolved 90 days of pages (44M rows at 100M events) through the map. #}
    {%- set context = {
        'leaves': [],
        'counter': {'n': 0},
        'features_read': [],
        'event_columns': segment_columns_of(ref('int_events_resolved_to_contacts')),
        'events': ref('int_events_resolved_to_contacts'),
    } -%}
    {%- set compiled = compile_segment_rule(segment_name, definition.rule, '', context) -%}
    {#- A rule that reads no feature and can match only contacts its event conditions or
        segments name (anchored, see compile_segment_rule) takes its candidates from
        those, all of them contacts of contact_features at as_of: it neither joins nor
        waits for contact_features (no ref to it), so a scheduled run builds it beside the
        summary. Any other rule reads contact_features, and its features are checked
        against the table's columns here. #}
    {%- set reads_contact_features = compiled.reads_contact_features or not compiled.anchored -%}
    {%- if reads_contact_features -%}
        {%- set features = segment_columns_of(ref('contact_features')) -%}
        {%- for read in context.features_read if features and read.column not in features -%}
            {{ segment_error(segment_name, read.path,
                "unknown feature '" ~ read.column ~ "': not a column of contact_features") }}
        {%- endfor -%}
    {%- endif -%}
    {%- set candidates = 'contact_features' if reads_contact_features else 'candidate_contacts' %}

with
{%- if reads_contact_features %}

contact_features as (

    select * from {{ ref('contact_features') }}

),
{%- endif %}

{%- for leaf in context.leaves if leaf.sql is not none %}

{{ leaf.alias }} as (
{{ leaf.sql }}
),
{%- endfor %}
{%- if not reads_contact_features %}

candidate_contacts as (
    {%- for leaf in context.leaves %}

    select contact_id from {{ leaf.alias if leaf.sql is not none else leaf.relation }}
    {%- if not loop.last %}
    union distinct{% endif %}
    {%- endfor %}

),
{%- endif %}

members as (

    select
        {{ candidates }}.contact_id,
        {{ compiled.reason }} as reason

    from {{ candidates }}
    {%- for leaf in context.leaves %}
    left join {{ leaf.relation }} as {{ leaf.alias }}
        on {{ candidates }}.contact_id = {{ leaf.alias }}.contact_id
    {%- endfor %}
    where {{ compiled.condition }}

),

final as (

    select * from members

)

select * from final
{%- endmacro -%}
