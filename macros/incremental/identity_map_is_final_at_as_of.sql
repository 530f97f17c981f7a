{#-
    True when no identity link loaded so far happened after as_of, so the identity map at
    as_of equals the map over everything loaded (int_anonymous_ids_mapped_to_contacts_latest)
    and state kept across runs, resolved through the latter, holds for this as_of. False
    whenever loaded links lie past as_of (back-tests included). Asked before the model
    runs (is anonymous_ids_linked_after_as_of empty?); false when not executing, before
    the links table exists, and in unit tests.
    Models ask identity_state_mode(), which builds on this (override that one in unit
    tests). A model calling it needs
    `-- depends_on: {{ ref('int_identity_links_rolled_up') }}`.
-#}
{%- macro identity_map_is_final_at_as_of() -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set links = load_relation(ref('int_identity_links_rolled_up')) -%}
    {%- if links is none -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set result = run_query(
        'select count(*) from ' ~ links ~ ' where last_linked_at > ' ~ as_of()
    ) -%}
    {{- return(result.columns[0].values()[0] == 0) -}}
{%- endmacro -%}
