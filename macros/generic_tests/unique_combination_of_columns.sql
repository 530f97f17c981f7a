{#- Fails for every combination of `columns` that appears on more than one row. -#}
{%- test unique_combination_of_columns(model, columns) -%}
    {{ keys_repeated(model, columns) }}
{%- endtest -%}
