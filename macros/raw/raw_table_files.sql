{#-
    Some files of one raw table (their names in the table's folder) as something to
    select from, with an optional extra `where` condition: the rows of the other files are
    not read at all (DuckDB prunes files on the file name; Spark on _metadata.file_name).
    The columns are those of raw_table_relation over every file, so a new file that lacks
    an optional column still reads it as null.
-#}
{%- macro raw_table_files(table_name, file_names, where=none) -%}
    {{- return(adapter.dispatch('raw_table_files', 'audience_warehouse')(table_name, file_names, where)) -}}
{%- endmacro -%}

{%- macro default__raw_table_files(table_name, file_names, where=none) -%}
    {{- exceptions.raise_compiler_error(
        'raw_table_files is not implemented for adapter ' ~ adapter.type()
    ) -}}
{%- endmacro -%}

{%- macro duckdb__raw_table_files(table_name, file_names, where=none) -%}
    (
        select * exclude (_aw_raw_file)
        from read_parquet(
            '{{ raw_data_path() }}/{{ table_name }}/*.parquet',
            union_by_name = true,
            filename = '_aw_raw_file'
        )
        where {{ raw_file_name_in('parse_filename(_aw_raw_file)', file_names) }}
        {%- if where %} and {{ where }}{% endif %}
    )
{%- endmacro -%}

{%- macro spark__raw_table_files(table_name, file_names, where=none) -%}
    (
        select *
        from {{ raw_table_relation(table_name) }}
        where {{ raw_file_name_in('_metadata.file_name', file_names) }}
        {%- if where %} and {{ where }}{% endif %}
    )
{%- endmacro -%}

{#- `expression in (names)`, or false for no names. -#}
{%- macro raw_file_name_in(expression, file_names) -%}
    {%- if file_names | length == 0 -%}
        false
    {%- else -%}
        {{ expression }} in (
        {%- for name in file_names -%}
            {{ string_literal(name) }}{{ ', ' if not loop.last }}
        {%- endfor -%}
        )
    {%- endif -%}
{%- endmacro -%}
