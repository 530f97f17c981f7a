{#-
    A raw table as something to select from: the source's files when they exist, otherwise
    (for optional tables) an empty relation with the contract's columns and types, so a
    warehouse that never saw an event still builds. A missing required table is an error.
    Calling source() keeps the lineage in the dbt graph whatever the engine reads.
-#}
{%- macro raw_table(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {#- At parse time, and in unit tests (where source() is the test's fixture rows). -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name] -%}
    {%- if raw_table_exists(table_name) -%}
        {{- return(raw_table_relation(table_name)) -}}
    {%- elif node.meta.get('required', false) -%}
        {{- exceptions.raise_compiler_error(
            "Required raw table '" ~ table_name ~ "' has no Parquet files under "
            ~ raw_data_path() ~ "/" ~ table_name ~ "/. Set RAW_DATA_PATH to the folder that "
            ~ "holds one sub-folder per table (see README, 'Pointing at your own data')."
        ) -}}
    {%- else -%}
        {{- return(empty_relation_like(node)) -}}
    {%- endif -%}
{%- endmacro -%}
