{#-
    dbt-spark's incremental materialization knows append, insert_overwrite and (on Delta,
    Iceberg, Hudi) merge. The project's incremental models declare delete+insert (replace
    the rows whose unique_key comes back, add the rest), which plain Parquet tables cannot
    do in place. These two overrides of dbt-spark's macros (a root-project macro wins over
    the adapter's) accept delete+insert and hand it to dbt's own dispatched
    get_incremental_delete_insert_sql, whose Spark version is in
    get_incremental_delete_insert_sql.sql; every other strategy goes to dbt-spark unchanged.
-#}
{%- macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy == 'delete+insert' -%}
        {{- return(raw_strategy) -}}
    {%- endif -%}
    {{- return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) -}}
{%- endmacro -%}

{%- macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) -%}
    {%- if strategy == 'delete+insert' -%}
        {{- get_incremental_delete_insert_sql({
            'target_relation': target,
            'temp_relation': source,
            'unique_key': unique_key,
            'dest_columns': none,
            'incremental_predicates': incremental_predicates,
        }) -}}
    {%- else -%}
        {{- dbt.dbt_spark_get_incremental_sql(
            strategy, source, target, existing, unique_key, incremental_predicates
        ) -}}
    {%- endif -%}
{%- endmacro -%}
