{#-
    The manifest of the raw files an incremental model has read, kept across runs, so a
    refresh reads only the files it has not read before: new files, and files rewritten
    since. One table per model, files_read_by_<model>, in the schema
    <target schema>_raw_files_loaded (apart from the models and not named like them, so
    nothing mistakes one for the other): one row per raw table and file version (name,
    size, modification time). One table per model because Spark cannot append to one
    Parquet table from two models running at once.
    A row also holds `full_build_at`, the start of the model's latest full build: a full
    build starts a new set of rows, and only the rows of the newest full_build_at count
    (older ones are left, never deleted, as Spark's Parquet tables cannot delete).
    The post-hook record_raw_files_loaded() creates and writes it; the schema is created by
    create_raw_files_loaded_schema() (on-run-start, dbt_project.yml).
-#}
{%- macro raw_files_loaded(model_name=none) -%}
    {{- return(api.Relation.create(
        schema=target.schema ~ '_raw_files_loaded',
        identifier=('files_read_by_' ~ model_name) if model_name else none,
    )) -}}
{%- endmacro -%}
