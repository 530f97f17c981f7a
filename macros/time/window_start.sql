{#-
    First instant of the "last N days" window: midnight UTC of as_of's day minus (N - 1)
    days, as a timestamp literal (window_start) or a date literal (window_start_date).
-#}
{%- macro window_start(days) -%}
    cast('{{ _window_start_day(days).strftime("%Y-%m-%d") }} 00:00:00' as timestamp)
{%- endmacro -%}

{%- macro window_start_date(days) -%}
    cast('{{ _window_start_day(days).strftime("%Y-%m-%d") }}' as date)
{%- endmacro -%}

{%- macro _window_start_day(days) -%}
    {%- if days | int < 1 -%}
        {{- exceptions.raise_compiler_error('A window needs at least 1 day, got ' ~ days) -}}
    {%- endif -%}
    {{- return(get_as_of().date() - modules.datetime.timedelta(days=(days | int) - 1)) -}}
{%- endmacro -%}
