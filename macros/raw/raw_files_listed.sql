{#-
    The Parquet files of one raw table, each as {name, size, modified_us}: its file name in
    the table's folder, its size in bytes and its modification time in microseconds since
    the epoch, sorted by name. raw_table_since_last_load compares them with the files
    raw_files_loaded() records. Both engines list without reading the files' contents.
-#}
{%- macro raw_files_listed(table_name) -%}
    {%- set query = adapter.dispatch('raw_files_listed_query', 'audience_warehouse')(table_name) -%}
    {%- set files = [] -%}
    {%- for row in run_query(query) -%}
        {%- do files.append({'name': row[0], 'size': row[1] | int, 'modified_us': row[2] | int}) -%}
    {%- endfor -%}
    {{- return(files | sort(attribute='name')) -}}
{%- endmacro -%}

{%- macro default__raw_files_listed_query(table_name) -%}
    {{- exceptions.raise_compiler_error(
        'raw_files_listed is not implemented for adapter ' ~ adapter.type()
    ) -}}
{%- endmacro -%}

{%- macro duckdb__raw_files_listed_query(table_name) -%}
    select
        parse_filename(filename) as file_name,
        size as file_size,
        epoch_us(last_modified) as file_modified_us
    from read_blob('{{ raw_data_path() }}/{{ table_name }}/*.parquet')
{%- endmacro -%}

{%- macro spark__raw_files_listed_query(table_name) -%}
    select
        element_at(split(path, '/'), -1) as file_name,
        length as file_size,
        unix_micros(modificationTime) as file_modified_us
    from binaryFile.`{{ raw_data_path() }}/{{ table_name }}`
        with ('pathGlobFilter' = '*.parquet')
{%- endmacro -%}
