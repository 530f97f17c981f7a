{#- Fails for every combination of `columns` that appears on more than one row. -#}
{%- test unique_combination_of_columns(model, columns) -%}
    select
        {{ columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{%- endtest -%}
