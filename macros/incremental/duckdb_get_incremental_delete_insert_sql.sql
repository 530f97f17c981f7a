{#-
    delete+insert on DuckDB, for a model whose meta sets `replaces_within_dedupe_window`
    (staging, keep_first_received): the delete looks for the rows being replaced only
    among the rows received since dedupe_window_start(), or with no received_at. A written
    row replaces only a loaded copy received later than it, and it was itself received
    after the re-read cutoff, so the replaced copy is in that window; the filter is a
    literal, so zone maps skip the rest of the table instead of matching every stored id.
    Other models get dbt's delete+insert unchanged.
-#}
{%- macro duckdb__get_incremental_delete_insert_sql(arg_dict) -%}
    {%- set window_start = none -%}
    {%- if (config.get('meta') or {}).get('replaces_within_dedupe_window') -%}
        {%- set window_start = dedupe_window_start() -%}
    {%- endif -%}
    {%- if window_start is not none -%}
        {%- set predicates = arg_dict['incremental_predicates'] or [] -%}
        {%- set predicates = [predicates] if predicates is string else predicates -%}
        {%- set window = '(received_at >= ' ~ window_start ~ ' or received_at is null)' -%}
        {%- do arg_dict.update({'incremental_predicates': predicates + [window]}) -%}
    {%- endif -%}
    {{- return(default__get_incremental_delete_insert_sql(arg_dict)) -}}
{%- endmacro -%}
