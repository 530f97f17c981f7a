{#- Select-list combining rows that already hold activity measures (e.g. actors into a contact). -#}
{%- macro combined_activity_measure_columns() -%}
    {%- for measure in activity_measures() %}
        {{ combine_activity_measure(measure) }} as {{ measure.name }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro -%}
