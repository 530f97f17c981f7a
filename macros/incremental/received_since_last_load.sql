{#-
    On an incremental run, a `where` clause keeping rows received since the newest row this
    model already holds, minus var('lookback_days') so late-landing loads are re-read. The
    cutoff is computed before the query runs and rendered as a literal, so Parquet row
    groups and table zone maps outside it are skipped. Rows with no received_at are
    always re-read (deduplication makes that idempotent). Renders nothing on a full build
    and in unit tests (whose fixture rows are all "new").
-#}
{%- macro received_since_last_load(column='received_at', loaded_column='received_at') -%}
    {%- if execute and model.resource_type != 'unit_test' and this is not none and is_incremental() -%}
        {%- set newest = run_query('select max(' ~ loaded_column ~ ') from ' ~ this).columns[0].values()[0] -%}
        {%- if newest is not none -%}
            {%- set cutoff = newest - modules.datetime.timedelta(days=var('lookback_days') | int) -%}
    where ({{ column }} >= cast('{{ cutoff.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) or {{ column }} is null)
        {%- endif -%}
    {%- endif -%}
{%- endmacro -%}
