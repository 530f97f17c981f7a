{#-
    (column name, aggregate over per-contact-day activity rows) for contact_features: each
    lifetime measure (windowed ones get a _lifetime suffix) and each windowed measure for
    every N in var('feature_windows_days') as <measure>_<N>d. Sums are 0, never null.
-#}
{%- macro contact_summary_columns() -%}
    {%- set columns = [] -%}
    {%- for measure in activity_measures() if measure.lifetime -%}
        {%- set value = combine_activity_measure(measure) -%}
        {%- do columns.append((
            measure.name ~ ('_lifetime' if measure.windowed else ''),
            'coalesce(' ~ value ~ ', 0)' if measure.combine == 'sum' else value,
        )) -%}
    {%- endfor -%}
    {%- for measure in activity_measures() if measure.windowed -%}
        {%- for days in var('feature_windows_days') -%}
            {%- set value = combine_activity_measure(
                measure, where='activity_date >= ' ~ window_start_date(days)
            ) -%}
            {%- do columns.append((
                measure.name ~ '_' ~ days ~ 'd',
                'coalesce(' ~ value ~ ', 0)' if measure.combine == 'sum' else value,
            )) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(columns) -}}
{%- endmacro -%}
