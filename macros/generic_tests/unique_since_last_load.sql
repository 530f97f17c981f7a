{#-
    `unique` for an incremental table that stamps what it writes (load_stamp()): fails for
    every value of `column_name` written by the latest load that appears on more than one
    row of the whole table. Each load's values are checked against everything when they
    are written, so every value was checked once, and a refresh does not count every
    value again (a full build writes every row with one stamp: a full check).
-#}
{%- test unique_since_last_load(model, column_name, loaded_column='dbt_loaded_at') -%}
    with

    latest_load as (

        select {{ column_name }} as loaded_value
        from {{ model }}
        where {{ loaded_column }} = (select max({{ loaded_column }}) from {{ model }})

    )

    select
        {{ column_name }},
        count(*) as row_count
    from {{ model }}
    where {{ column_name }} in (select loaded_value from latest_load)
    group by {{ column_name }}
    having count(*) > 1
{%- endtest -%}
