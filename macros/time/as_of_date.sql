{#- as_of's UTC calendar day, as a SQL date literal. -#}
{%- macro as_of_date() -%}
    cast('{{ get_as_of().strftime("%Y-%m-%d") }}' as date)
{%- endmacro -%}
