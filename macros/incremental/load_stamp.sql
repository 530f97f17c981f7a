{#-
    The load stamp of this dbt invocation: when it started (UTC), as a timestamp literal.
    Every incremental model writes it as `dbt_loaded_at` on each row it (re)writes, so a
    model downstream finds exactly what changed since its own last run: rows stamped later
    than the newest stamp it holds (loaded_since_last_run). Raw rows carry no such stamp:
    staging reads the raw files it has not read (raw_table_since_last_load).
-#}
{%- macro load_stamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro -%}
