{#- `text` as a SQL string literal, quotes (and on Spark backslashes) escaped. -#}
{%- macro string_literal(text) -%}
    {{- return(adapter.dispatch('string_literal', 'audience_warehouse')(text | string)) -}}
{%- endmacro -%}

{%- macro default__string_literal(text) -%}
    '{{ text.replace("'", "''") }}'
{%- endmacro -%}

{#- Spark reads '' inside a literal as two literals side by side, and \ as an escape. -#}
{%- macro spark__string_literal(text) -%}
    '{{ text.replace("\\", "\\\\").replace("'", "\\'") }}'
{%- endmacro -%}
