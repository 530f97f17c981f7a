{#- as_of minus N hours, as a timestamp literal. -#}
{%- macro hours_before_as_of(hours) -%}
    {%- set instant = get_as_of() - modules.datetime.timedelta(hours=hours | float) -%}
    cast('{{ instant.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro -%}
