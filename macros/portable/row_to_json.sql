{#- A whole row of `relation_alias` as a JSON string, for quarantine records. -#}
{%- macro row_to_json(relation_alias) -%}
    {{- struct_to_json(row_struct(relation_alias)) -}}
{%- endmacro -%}
