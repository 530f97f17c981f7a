{#-
    A CTE hint: `matches as {{ materialized() }} (` has the CTE computed once, on its own,
    before the query that reads it. DuckDB otherwise may push the reader's join into the
    CTE (a correlated lookup), which undoes a narrow pre-filter written there. Engines with
    no such hint get nothing.
-#}
{%- macro materialized() -%}
    {{- adapter.dispatch('materialized', 'audience_warehouse')() -}}
{%- endmacro -%}

{%- macro default__materialized() -%}
{%- endmacro -%}

{%- macro duckdb__materialized() -%}
    materialized
{%- endmacro -%}
