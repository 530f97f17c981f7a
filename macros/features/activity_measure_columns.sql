{#- Select-list of every activity measure aggregated from event rows (one actor and day). -#}
{%- macro activity_measure_columns() -%}
    {%- for measure in activity_measures() %}
        {{ measure.expr }} as {{ measure.name }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro -%}
