{#- The aggregate that combines rows of one activity measure (see activity_measures),
    a sum cast back to the measure's `cast_to` type when it has one. It combines the
    column `value` (default: the measure's own column; a latest value is keyed on the
    measure's timestamp column of the same rows), over the rows where `where` holds. -#}
{%- macro combine_activity_measure(measure, where=none, value=none) -%}
    {%- set value = measure.name if value is none else value -%}
    {%- set column = value if where is none
        else 'case when ' ~ where ~ ' then ' ~ value ~ ' end' -%}
    {%- if measure.combine == 'sum' and measure.cast_to -%}
        cast(sum({{ column }}) as {{ measure.cast_to }})
    {%- elif measure.combine in ['sum', 'max', 'min'] -%}
        {{ measure.combine }}({{ column }})
    {%- elif measure.combine.startswith('latest:') -%}
        {%- set at = measure.combine.split(':')[1] -%}
        {{ arg_max(value, [at, value],
            where=(at ~ ' is not null' if where is none else where ~ ' and ' ~ at ~ ' is not null')) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error('Unknown combine ' ~ measure.combine ~ ' for ' ~ measure.name) }}
    {%- endif -%}
{%- endmacro -%}
