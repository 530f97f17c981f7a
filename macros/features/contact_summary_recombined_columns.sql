{#-
    Select-list combining rows that already hold the per-contact summary columns
    (contact_summary_parts), covering disjoint sets of days, into one row per contact:
    sums add up (0, never null), maxima and minima combine, a latest value follows its
    timestamp. A row may also carry negative sums: days that left a window.
-#}
{%- macro contact_summary_recombined_columns() -%}
    {%- for part in contact_summary_parts() %}
        {%- set value = combine_activity_measure(part.measure, value=part.name) %}
        {{ 'coalesce(' ~ value ~ ', 0)' if part.measure.combine == 'sum' else value }}
            as {{ part.name }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro -%}
