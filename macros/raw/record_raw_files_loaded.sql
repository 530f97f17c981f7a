{#-
    Post-hook of a model that reads raw_table_since_last_load: records in its
    raw_files_loaded() table (created here if missing) the files its statement read, from
    the comments that macro wrote into the SQL. It runs inside the model's transaction on
    DuckDB, so the rows and the record of their files commit together. Spark has no
    transactions: the record is written after the rows, so a failure in between only
    makes the next run read those files again, where keep_first_received drops the rows
    already loaded.
-#}
{%- macro record_raw_files_loaded() -%}
    {%- set marker = '/* raw files read: ' -%}
    {%- if execute and sql is defined and sql and marker in sql -%}
        {%- set manifest = raw_files_loaded(model.name) -%}
        {%- set values = [] -%}
        {%- for comment in sql.split(marker)[1:] -%}
            {%- set read = fromjson(comment.split(' */')[0]) -%}
            {%- for file in read.files -%}
                {%- do values.append(
                    '(' ~ string_literal(read.table) ~ ', ' ~ string_literal(file.name)
                    ~ ', ' ~ file.size ~ ', ' ~ file.modified_us
                    ~ ", cast('" ~ read.full_build_at ~ "' as timestamp), " ~ load_stamp() ~ ')'
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- do run_query(
            'create table if not exists ' ~ manifest ~ ' ('
            ~ 'table_name string, file_name string, file_size bigint, file_modified_us bigint,'
            ~ ' full_build_at timestamp, loaded_at timestamp)'
            ~ (' using parquet' if target.type == 'spark' else '')
        ) -%}
        {%- if values -%}
            insert into {{ manifest }}
            (table_name, file_name, file_size, file_modified_us, full_build_at, loaded_at)
            values
            {{ values | join(',\n') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro -%}
