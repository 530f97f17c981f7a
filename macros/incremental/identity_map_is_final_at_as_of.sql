{#-
    True when no identity link loaded so far happened after as_of, so the identity map at
    as_of equals the map over everything loaded (int_anonymous_ids_mapped_to_contacts_latest)
    and state kept across runs, resolved through the latter, holds for this as_of. False
    for back-tests and whenever loaded links lie past as_of: callers then take their full,
    as_of-bounded path. Asked before the model runs; false when not executing, before
    the links table exists, and in unit tests (override it there to test the other
    path). A model calling it needs
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
