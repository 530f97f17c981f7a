{#-
    How the models that depend on as_of use the state kept across runs (resolved through
    the identity map over everything loaded). One of:
      - 'final': no identity link loaded so far happened after as_of, so that map is the
        map at as_of and the stored state holds as it is;
      - 'patched': some links happened after as_of. Only the anonymous_ids with such a
        link can map differently at as_of, so only their contacts
        (int_actors_relinked_after_as_of) are computed from the rollups at as_of; every
        other contact reads the stored state. var('reuse_state_with_later_links')
        (default true) set to false turns this off;
      - 'full': everything is computed from the rollups at as_of (that var off; and when
        not executing, before the links table exists, and in unit tests: override it
        there to test the other modes).
    A model calling it needs `-- depends_on: {{ ref('int_identity_links_rolled_up') }}`.
-#}
{%- macro identity_state_mode() -%}
    {%- if identity_map_is_final_at_as_of() -%}
        {{- return('final') -}}
    {%- endif -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return('full') -}}
    {%- endif -%}
    {%- if load_relation(ref('int_identity_links_rolled_up')) is none -%}
        {{- return('full') -}}
    {%- endif -%}
    {{- return('patched' if var('reuse_state_with_later_links', true) else 'full') -}}
{%- endmacro -%}
