{#-
    delete+insert on Spark tables that cannot delete rows (Parquet, no Delta): the new
    state (stored rows whose unique_key is not among the new rows, plus the new rows) is
    written to <model>__dbt_next first, then copied over the model with insert overwrite.
    Two steps because Spark refuses to overwrite a table the same query reads, and the
    new rows (`source`, a view over the model's SQL) read the model itself (history, dedup
    against loaded rows). Same rows as DuckDB's delete+insert; the cost is a rewrite of the
    whole table, which is what a Parquet table without a transaction log needs anyway.
    The wrapper and default__ version are dbt's (dispatch search order in dbt_project.yml).
-#}
{%- macro spark__get_incremental_delete_insert_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set unique_key = arg_dict['unique_key'] -%}
    {%- if not unique_key -%}
        {{- exceptions.raise_compiler_error(
            'delete+insert on Spark needs a unique_key (model ' ~ target ~ ')'
        ) -}}
    {%- endif -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set next = target.incorporate(path={'identifier': target.identifier ~ '__dbt_next'}) -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}
    {%- set predicates = arg_dict.get('incremental_predicates') or [] -%}
    {%- if predicates -%}
        {{- exceptions.raise_compiler_error(
            'incremental_predicates are not supported by delete+insert on Spark (model ' ~ target ~ ')'
        ) -}}
    {%- endif -%}
    {%- call statement('delete_insert_drop_next') -%}
        drop table if exists {{ next }}
    {%- endcall -%}
    {%- call statement('delete_insert_build_next') -%}
        create table {{ next }}
        using {{ config.get('file_format') or 'parquet' }}
        as
        select {{ columns }}
        from {{ target }} as stored
        where not exists (
            select 1
            from {{ source }} as incoming
            where
                {%- for key in keys %}
                incoming.{{ key }} = stored.{{ key }}{{ ' and' if not loop.last }}
                {%- endfor %}
        )
        union all
        select {{ columns }}
        from {{ source }}
    {%- endcall -%}
    {%- call statement('delete_insert_overwrite') -%}
        insert overwrite table {{ target }}
        select {{ columns }} from {{ next }}
    {%- endcall -%}
    drop table if exists {{ next }}
{%- endmacro -%}
