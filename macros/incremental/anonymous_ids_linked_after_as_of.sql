{#-
    A select of the anonymous_ids with an identity link after as_of (one row each): the
    ones whose mapping at as_of can differ from the map over everything loaded
    (identity_state_mode 'patched'). identity_map_is_final_at_as_of asks whether it is
    empty. A model using it needs `-- depends_on: {{ ref('int_identity_links_rolled_up') }}`
    when it does not ref the links otherwise.
-#}
{%- macro anonymous_ids_linked_after_as_of() -%}
    select distinct anonymous_id
    from {{ ref('int_identity_links_rolled_up') }}
    where last_linked_at > {{ as_of() }}
{%- endmacro -%}
