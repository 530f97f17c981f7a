{#-
    delete+insert on DuckDB, for a model whose meta sets `replaces_later_received_copies`
    (staging, keep_first_received): a written row replaces only a loaded copy received
    later than it (or with no received_at), so the delete looks for the rows being
    replaced only among the rows received since the earliest row written. The bound is a
    literal read from the rows about to be written, so zone maps skip the rest of the
    table instead of matching every stored id; it holds however late the file the rows
    came from landed. Other models get dbt's delete+insert unchanged.
-#}
{%- macro duckdb__get_incremental_delete_insert_sql(arg_dict) -%}
    {%- if (config.get('meta') or {}).get('replaces_later_received_copies') -%}
        {%- set earliest = run_query(
            'select min(received_at) from ' ~ arg_dict['temp_relation']
        ).columns[0].values()[0] -%}
        {%- set window = 'received_at is null' -%}
        {%- if earliest is not none -%}
            {%- set window = "(received_at >= cast('" ~ earliest.strftime('%Y-%m-%d %H:%M:%S.%f')
                ~ "' as timestamp) or received_at is null)" -%}
        {%- endif -%}
        {%- set predicates = arg_dict['incremental_predicates'] or [] -%}
        {%- set predicates = [predicates] if predicates is string else predicates -%}
        {%- do arg_dict.update({'incremental_predicates': predicates + [window]}) -%}
    {%- endif -%}
    {{- return(default__get_incremental_delete_insert_sql(arg_dict)) -}}
{%- endmacro -%}
