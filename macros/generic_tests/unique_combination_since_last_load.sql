{#- unique_combination_of_columns for an incremental table that stamps what it writes:
    the combinations the latest load wrote, checked against the whole table
    (keys_repeated_since_last_load). -#}
{%- test unique_combination_since_last_load(model, columns, loaded_column='dbt_loaded_at') -%}
    {{ keys_repeated_since_last_load(model, columns, loaded_column) }}
{%- endtest -%}
