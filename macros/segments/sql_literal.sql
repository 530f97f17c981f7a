{#- A YAML value as a SQL literal: numbers as they are, booleans, quoted strings, null. -#}
{%- macro sql_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true -%}
        true
    {%- elif value is sameas false -%}
        false
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        {{ string_literal(value) }}
    {%- endif -%}
{%- endmacro -%}
