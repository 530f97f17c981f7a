{#- A whole row of `relation_alias` as one struct value, in the engine's own syntax. -#}
{%- macro row_struct(relation_alias) -%}
    {{- return(adapter.dispatch('row_struct', 'audience_warehouse')(relation_alias)) -}}
{%- endmacro -%}

{%- macro default__row_struct(relation_alias) -%}
    struct({{ relation_alias }}.*)
{%- endmacro -%}

{%- macro duckdb__row_struct(relation_alias) -%}
    {{ relation_alias }}
{%- endmacro -%}
