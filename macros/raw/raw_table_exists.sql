{#- Whether the raw table has at least one Parquet file. -#}
{%- macro raw_table_exists(table_name) -%}
    {{- return(adapter.dispatch('raw_table_exists', 'audience_warehouse')(table_name)) -}}
{%- endmacro -%}

{%- macro default__raw_table_exists(table_name) -%}
    {{- exceptions.raise_compiler_error(
        'raw_table_exists is not implemented for adapter ' ~ adapter.type()
    ) -}}
{%- endmacro -%}

{%- macro duckdb__raw_table_exists(table_name) -%}
    {%- set pattern = raw_data_path() ~ '/' ~ table_name ~ '/*.parquet' -%}
    {%- set result = run_query("select count(*) from glob('" ~ pattern ~ "')") -%}
    {{- return(result.columns[0].values()[0] > 0) -}}
{%- endmacro -%}
