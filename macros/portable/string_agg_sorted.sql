{#-
    The group's non-null values of `value`, sorted ascending, joined with `delimiter` (a
    SQL string literal): dbt.listagg(value, delimiter, 'order by ' ~ value). Collecting
    the values and sorting the list is about twice as fast in DuckDB as its ordered
    aggregate (docs/benchmarks.md, tenth run).
-#}
{%- macro string_agg_sorted(value, delimiter) -%}
    {{- return(adapter.dispatch('string_agg_sorted', 'audience_warehouse')(value, delimiter)) -}}
{%- endmacro -%}

{%- macro default__string_agg_sorted(value, delimiter) -%}
    array_join(array_sort(collect_list({{ value }})), {{ delimiter }})
{%- endmacro -%}

{%- macro duckdb__string_agg_sorted(value, delimiter) -%}
    array_to_string(list_sort(list({{ value }}) filter (where {{ value }} is not null)), {{ delimiter }})
{%- endmacro -%}
