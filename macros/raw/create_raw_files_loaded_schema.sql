{#- on-run-start (dbt_project.yml): the schema of the raw_files_loaded() manifests,
    created once before models run in parallel. -#}
{%- macro create_raw_files_loaded_schema() -%}
    create schema if not exists {{ raw_files_loaded().schema }}
{%- endmacro -%}
