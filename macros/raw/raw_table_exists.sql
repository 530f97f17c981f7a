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

{#-
    Spark has no glob(): list the raw folder's Parquet files with the binaryFile source (it
    reads names only, never contents) and count those in the table's folder. Listing the
    root, which always exists, means a missing folder counts 0 rather than failing.
-#}
{%- macro spark__raw_table_exists(table_name) -%}
    {%- set query -%}
        select count(*)
        from binaryFile.`{{ raw_data_path() }}`
            with ('recursiveFileLookup' = 'true', 'pathGlobFilter' = '*.parquet')
        where element_at(split(path, '/'), -2) = '{{ table_name }}'
    {%- endset -%}
    {{- return(run_query(query).columns[0].values()[0] > 0) -}}
{%- endmacro -%}
