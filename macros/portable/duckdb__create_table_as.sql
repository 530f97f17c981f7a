{#-
    dbt's create_table_as on DuckDB, for a model whose meta sets `store_uncompressed`:
    the table is created with every column `using compression uncompressed` (DuckDB fixes
    a column's compression in the table's definition, so the incremental runs after it
    write the same way), then filled with the model's select. Other models, temporary
    tables, Python models and enforced contracts get dbt-duckdb's create_table_as
    unchanged (dispatch search order in dbt_project.yml).

    For the tables that every run rewrites whole or in large part (contact_features, the
    summary, segments, syncs): compressing them costs a run more CPU than their smaller
    size saves their readers, about 3 s of a 21 s time-only run at 100M events for about
    13% more disk (docs/benchmarks.md, "twenty-second session"). Struct and map columns
    cannot be stored uncompressed in DuckDB: they keep the automatic choice.
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
    {%- set columns = run_query(
        'describe select * from (' ~ compiled_code ~ ') as model_subq'
    ) -%}
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
