{#-
    The per-contact summary columns of contact_features, in order, each as
    {name, measure, days}: every lifetime measure (windowed ones get a _lifetime suffix;
    days is none), then every windowed measure for each N in var('feature_windows_days')
    as <measure>_<N>d (days is N). `measure` is its entry of activity_measures().

    before_as_of_day=true: only the parts a summary of the days before as_of's day can
    hold. A 1-day window holds as_of's day alone, so its parts are left out
    (int_contact_activity_summarized; contact_features adds them from as_of's day).
-#}
{%- macro contact_summary_parts(before_as_of_day=false) -%}
    {%- set parts = [] -%}
    {%- for measure in activity_measures() if measure.lifetime -%}
        {%- do parts.append({
            'name': measure.name ~ ('_lifetime' if measure.windowed else ''),
            'measure': measure,
            'days': none,
        }) -%}
    {%- endfor -%}
    {%- for measure in activity_measures() if measure.windowed -%}
        {%- for days in var('feature_windows_days') if not (before_as_of_day and days | int == 1) -%}
            {%- do parts.append({
                'name': measure.name ~ '_' ~ days ~ 'd',
                'measure': measure,
                'days': days | int,
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(parts) -}}
{%- endmacro -%}
