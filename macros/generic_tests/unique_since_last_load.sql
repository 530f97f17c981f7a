{#- `unique` for an incremental table that stamps what it writes: the values the latest
    load wrote, checked against the whole table (keys_repeated_since_last_load). -#}
{%- test unique_since_last_load(model, column_name, loaded_column='dbt_loaded_at') -%}
    {{ keys_repeated_since_last_load(model, [column_name], loaded_column) }}
{%- endtest -%}
