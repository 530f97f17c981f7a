{#-
    Whether `relation` holds a row loaded since this model's last run (or since the last
    run of `of`; loaded_since_last_run), asked before the query runs, so a model can leave
    out what reads nothing new. True on a full build, when the model holds no row, and in
    unit tests and parsing (everything counts as new there).
-#}
{%- macro has_rows_loaded_since_last_run(relation, of=none) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set where = loaded_since_last_run(of=of) -%}
    {%- if not where | trim -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set result = run_query(
        'select count(*) from (select 1 from ' ~ relation ~ ' ' ~ where ~ ' limit 1) as loaded'
    ) -%}
    {{- return(result.columns[0].values()[0] > 0) -}}
{%- endmacro -%}
