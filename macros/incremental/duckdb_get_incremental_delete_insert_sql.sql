{#-
    delete+insert on DuckDB, for a model whose meta sets `replaces_within_dedupe_window`
    (staging, keep_first_received): the delete looks for the rows being replaced only
    among the rows received since dedupe_window_start() or since the earliest row being
    written, whichever is earlier, or with no received_at. A written row replaces only a
    loaded copy received later than it, so the replaced copy is in that window; the
    bound is a literal, so zone maps skip the rest of the table instead of matching every
    stored id. (A late-landing file can hold rows received long before the window.)
    Other models get dbt's delete+insert unchanged.
-#}
{%- macro duckdb__get_incremental_delete_insert_sql(arg_dict) -%}
    {%- set window_start = none -%}
    {%- if (config.get('meta') or {}).get('replaces_within_dedupe_window') -%}
        {%- set window_start = dedupe_window_start() -%}
    {%- endif -%}
    {%- if window_start is not none -%}
        {%- set earliest = run_query(
            'select min(received_at) from ' ~ arg_dict['temp_relation']
        ).columns[0].values()[0] -%}
        {%- if earliest is not none -%}
            {%- set earliest = "cast('" ~ earliest.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)" -%}
            {%- set window_start = 'least(' ~ window_start ~ ', ' ~ earliest ~ ')' -%}
        {%- endif -%}
        {%- set predicates = arg_dict['incremental_predicates'] or [] -%}
        {%- set predicates = [predicates] if predicates is string else predicates -%}
        {%- set window = '(received_at >= ' ~ window_start ~ ' or received_at is null)' -%}
        {%- do arg_dict.update({'incremental_predicates': predicates + [window]}) -%}
    {%- endif -%}
    {{- return(default__get_incremental_delete_insert_sql(arg_dict)) -}}
{%- endmacro -%}
