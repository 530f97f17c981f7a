{#- Emails are compared trimmed and lower-cased; blank becomes null. -#}
{%- macro normalize_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro -%}
