{#-
    On an incremental run, the newest `loaded_column` this model already holds minus
    `days` days, as a timestamp literal; none on a full build, in unit tests (whose fixture
    rows are all "new") and on an empty table. Computed before the query runs, so a filter
    on it prunes Parquet row groups and table zone maps.
-#}
{%- macro received_cutoff(days, loaded_column='received_at') -%}
    {%- if execute and model.resource_type != 'unit_test' and this is not none and is_incremental() -%}
        {%- set newest = run_query('select max(' ~ loaded_column ~ ') from ' ~ this).columns[0].values()[0] -%}
        {%- if newest is not none -%}
            {%- set cutoff = newest - modules.datetime.timedelta(days=days | int) -%}
            {{- return("cast('" ~ cutoff.strftime("%Y-%m-%d %H:%M:%S.%f") ~ "' as timestamp)") -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro -%}
