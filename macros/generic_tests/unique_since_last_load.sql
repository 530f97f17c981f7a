{#- `unique` for an incremental table that stamps what it writes: the values the latest
    load wrote, checked against the whole table (keys_repeated_since_last_load), through
    `<column>_hash` when the table keeps narrow_hash of the column there (staging's
    event_id_hash). -#}
{%- test unique_since_last_load(model, column_name, loaded_column='dbt_loaded_at') -%}
    {{ keys_repeated_since_last_load(model, [column_name], loaded_column, hash_column=column_name ~ '_hash') }}
{%- endtest -%}
