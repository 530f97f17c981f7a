{#-
    dbt's create_table_as on DuckDB, for a model whose meta sets `store_uncompressed`:
    the table is created with every column `using compression uncompressed`, then filled
    with the model's select. Other models, temporary tables, Python models and enforced
    contracts get dbt-duckdb's create_table_as unchanged (the dbt namespace's dispatch
    search order in dbt_project.yml puts this project first).

    For the tables every run rewrites whole that no segment change rewrites
    (contact_features, the intermediate tables at as_of before it, the email grouping
    after it): compressing a table the next run replaces costs more CPU than its smaller
    size saves its readers (docs/benchmarks.md, "twenty-third session"). Segments,
    memberships and syncs stay compressed: stored uncompressed as well, they made 15
    segments cheaper to build but not 100 ("twenty-second session"). Struct, map and union
    columns cannot be stored uncompressed in DuckDB: they keep the automatic choice.
-#}
{%- macro duckdb__create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {%- set contract = config.get('contract') -%}
    {%- if temporary or language != 'sql' or partitioned_by or sorted_by
        or (contract is not none and contract.enforced)
        or not (config.get('meta') or {}).get('store_uncompressed') -%}
        {{- return(dbt.duckdb__create_table_as(
            temporary, relation, compiled_code, language,
            partitioned_by=partitioned_by, sorted_by=sorted_by
        )) -}}
    {%- endif -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {#- on lines of their own: the model's SQL may end with a line comment -#}
    {%- set describe_sql -%}
        describe select * from (
            {{ compiled_code }}
        ) as model_subq
    {%- endset -%}
    {%- set columns = run_query(describe_sql) -%}
    {{ sql_header if sql_header is not none }}
    create table {{ relation }} (
        {%- for column in columns %}
        {{ adapter.quote(column['column_name']) }} {{ column['column_type'] }}
        {%- if not _is_nested_type(column['column_type']) %} using compression uncompressed{% endif %}
        {{- ',' if not loop.last }}
        {%- endfor %}
    );
    insert into {{ relation }}
    select * from (
        {{ compiled_code }}
    ) as model_subq
{%- endmacro -%}

{%- macro _is_nested_type(column_type) -%}
    {%- set upper = column_type | upper -%}
    {{- return('STRUCT(' in upper or 'MAP(' in upper or 'UNION(' in upper) -}}
{%- endmacro -%}
