{#- True when `column` lies in the exact N hours before as_of: (as_of - N hours, as_of]. -#}
{%- macro in_last_n_hours(column, hours) -%}
    {%- set start = get_as_of() - modules.datetime.timedelta(hours=hours | int) -%}
    ({{ column }} > cast('{{ start.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
        and {{ column }} <= {{ as_of() }})
{%- endmacro -%}
