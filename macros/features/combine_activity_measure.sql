{#- The aggregate that combines rows of one activity measure (see activity_measures),
    a sum cast back to the measure's `cast_to` type when it has one. -#}
{%- macro combine_activity_measure(measure, where=none) -%}
    {%- set column = measure.name if where is none
        else 'case when ' ~ where ~ ' then ' ~ measure.name ~ ' end' -%}
    {%- if measure.combine == 'sum' and measure.cast_to -%}
        cast(sum({{ column }}) as {{ measure.cast_to }})
    {%- elif measure.combine in ['sum', 'max', 'min'] -%}
        {{ measure.combine }}({{ column }})
    {%- elif measure.combine.startswith('latest:') -%}
        {%- set at = measure.combine.split(':')[1] -%}
        {{ arg_max(measure.name, [at, measure.name],
            where=(at ~ ' is not null' if where is none else where ~ ' and ' ~ at ~ ' is not null')) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error('Unknown combine ' ~ measure.combine ~ ' for ' ~ measure.name) }}
    {%- endif -%}
{%- endmacro -%}
