{#- A whole row of `relation_alias` as a JSON string, for quarantine records. -#}
{%- macro row_to_json(relation_alias) -%}
    {{- return(adapter.dispatch('row_to_json', 'audience_warehouse')(relation_alias)) -}}
{%- endmacro -%}

{%- macro default__row_to_json(relation_alias) -%}
    to_json(struct({{ relation_alias }}.*))
{%- endmacro -%}

{%- macro duckdb__row_to_json(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro -%}
