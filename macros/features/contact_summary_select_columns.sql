{#- Select-list aggregating per-contact-day activity rows into every summary column
    (contact_summary_columns), for a query grouped by contact. -#}
{%- macro contact_summary_select_columns(before_as_of_day=false) -%}
    {%- for name, expression in contact_summary_columns(before_as_of_day) %}
        {{ expression }} as {{ name }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro -%}
