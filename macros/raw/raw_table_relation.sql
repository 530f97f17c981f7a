{#- How the engine reads one raw table's Parquet folder. -#}
{%- macro raw_table_relation(table_name) -%}
    {{- return(adapter.dispatch('raw_table_relation', 'audience_warehouse')(table_name)) -}}
{%- endmacro -%}

{%- macro default__raw_table_relation(table_name) -%}
    {{- exceptions.raise_compiler_error(
        'raw_table_relation is not implemented for adapter ' ~ adapter.type()
    ) -}}
{%- endmacro -%}

{%- macro duckdb__raw_table_relation(table_name) -%}
    read_parquet('{{ raw_data_path() }}/{{ table_name }}/*.parquet', union_by_name = true)
{%- endmacro -%}

{#- Files written at different times may differ in columns: the spark target sets
    spark.sql.parquet.mergeSchema (profiles.yml), Spark's union_by_name. -#}
{%- macro spark__raw_table_relation(table_name) -%}
    parquet.`{{ raw_data_path() }}/{{ table_name }}/*.parquet`
{%- endmacro -%}
