{#-
    Select-list of the summary columns (contact_summary_parts) of a contact whose days
    moved: `stored`, its stored summary, plus `moved`, what its moved days change (sums
    of the days entering the summary less those leaving a window; maxima, minima and
    latest values of the entering days, null when none). Each is a relation joined on
    the contact, `stored` possibly missing (null columns). Row by row, so no aggregate
    combines them:
    sums add up (0, never null), maxima and minima take the larger or smaller, a latest
    value follows its timestamp, ties broken by the value (as arg_max over both rows).
-#}
{%- macro contact_summary_shifted_columns(stored, moved, before_as_of_day=false) -%}
    {%- for part in contact_summary_parts(before_as_of_day) %}
        {%- set combine = part.measure.combine %}
        {%- set s, e = stored ~ '.' ~ part.name, moved ~ '.' ~ part.name %}
        {%- if combine == 'sum' %}
        coalesce({{ s }}, 0) + coalesce({{ e }}, 0)
        {%- elif combine == 'max' %}
        greatest({{ s }}, {{ e }})
        {%- elif combine == 'min' %}
        least({{ s }}, {{ e }})
        {%- elif combine.startswith('latest:') %}
        {%- set at = combine.split(':')[1] %}
        {%- set s_at, e_at = stored ~ '.' ~ at, moved ~ '.' ~ at %}
        case
            when
                {{ e }} is not null and {{ e_at }} is not null
                and (
                    {{ s }} is null or {{ s_at }} is null
                    or {{ e_at }} > {{ s_at }}
                    or ({{ e_at }} = {{ s_at }} and {{ e }} > {{ s }})
                )
                then {{ e }}
            when {{ s_at }} is not null then {{ s }}
        end
        {%- else %}
        {{ exceptions.raise_compiler_error('Unknown combine ' ~ combine ~ ' for ' ~ part.name) }}
        {%- endif %} as {{ part.name }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro -%}
