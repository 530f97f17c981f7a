{#-
    (column name, aggregate over per-contact-day activity rows) for each part of
    contact_summary_parts(before_as_of_day): lifetime measures over every row, windowed
    ones over the rows in their window ending with as_of's day. Sums are 0, never null.
-#}
{%- macro contact_summary_columns(before_as_of_day=false) -%}
    {%- set columns = [] -%}
    {%- for part in contact_summary_parts(before_as_of_day) -%}
        {%- set value = combine_activity_measure(
            part.measure,
            where=none if part.days is none
                else 'activity_date >= ' ~ window_start_date(part.days)
        ) -%}
        {%- do columns.append((
            part.name,
            'coalesce(' ~ value ~ ', 0)' if part.measure.combine == 'sum' else value,
        )) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{%- endmacro -%}
