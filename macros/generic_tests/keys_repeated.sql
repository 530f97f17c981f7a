{#- Every combination of `columns` that appears on more than one row of `model`, with its
    row count: the body of unique_combination_of_columns, and of the *_since_last_load
    tests on a full build. -#}
{%- macro keys_repeated(model, columns) -%}
    select
        {{ columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{%- endmacro -%}
