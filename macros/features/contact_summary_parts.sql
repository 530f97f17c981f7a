{#-
    The per-contact summary columns of contact_features, in order, each as
    {name, measure, days}: every lifetime measure (windowed ones get a _lifetime suffix;
    days is none), then every windowed measure for each N in var('feature_windows_days')
    as <measure>_<N>d (days is N). `measure` is its entry of activity_measures().
-#}
{%- macro contact_summary_parts() -%}
    {%- set parts = [] -%}
    {%- for measure in activity_measures() if measure.lifetime -%}
        {%- do parts.append({
            'name': measure.name ~ ('_lifetime' if measure.windowed else ''),
            'measure': measure,
            'days': none,
        }) -%}
    {%- endfor -%}
    {%- for measure in activity_measures() if measure.windowed -%}
        {%- for days in var('feature_windows_days') -%}
            {%- do parts.append({
                'name': measure.name ~ '_' ~ days ~ 'd',
                'measure': measure,
                'days': days | int,
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(parts) -}}
{%- endmacro -%}
