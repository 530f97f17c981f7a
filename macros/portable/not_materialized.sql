{#-
    A CTE hint: `source as {{ not_materialized() }} (` has the CTE read where each
    reference uses it, never stored once for all of them. DuckDB stores a CTE read more
    than once; staging's full build reads its source three times (keep_first_received), and
    storing all of history costs more than reading the Parquet again (docs/benchmarks.md).
    Engines with no such hint get nothing.
-#}
{%- macro not_materialized() -%}
    {{- adapter.dispatch('not_materialized', 'audience_warehouse')() -}}
{%- endmacro -%}

{%- macro default__not_materialized() -%}
{%- endmacro -%}

{%- macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro -%}
