{#- A struct value (e.g. from row_struct) as a JSON string. -#}
{%- macro struct_to_json(expression) -%}
    {{- return(adapter.dispatch('struct_to_json', 'audience_warehouse')(expression)) -}}
{%- endmacro -%}

{%- macro default__struct_to_json(expression) -%}
    to_json({{ expression }})
{%- endmacro -%}

{%- macro duckdb__struct_to_json(expression) -%}
    cast(to_json({{ expression }}) as varchar)
{%- endmacro -%}
