{#-
    Whether this invocation moves segment history forward: segment_runs recorded this
    invocation's as_of (it only does when as_of is later than every earlier run). A build
    at an earlier as_of (a back-test) or a repeat at the same as_of leaves history alone.
-#}
{%- macro segment_history_advances() -%}
    {%- set runs = ref('segment_runs') -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return(true) -}}
    {%- endif -%}
    {#- before the first build (e.g. dbt compile on a new warehouse) nothing is recorded yet -#}
    {%- if adapter.get_relation(runs.database, runs.schema, runs.identifier) is none -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set query -%}
        select count(*) from {{ runs }} where invocation_id = '{{ invocation_id }}'
    {%- endset -%}
    {{- return(run_query(query).columns[0].values()[0] > 0) -}}
{%- endmacro -%}
