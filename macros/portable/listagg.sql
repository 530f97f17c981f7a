{#-
    dbt.listagg on Spark, honouring `order by` (dbt-spark's version ignores it, so a list
    would come out in any order): the values are collected with their sort key, sorted,
    then joined. Nulls are skipped, as string_agg does. Supports
    `order by <expression> [asc | desc]`; dbt's wrapper dispatches here first (see the
    dispatch search order in dbt_project.yml).
-#}
{%- macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause -%}
        {%- set match = modules.re.match('^\s*order\s+by\s+(.+?)(\s+(asc|desc))?\s*$', order_by_clause, modules.re.I) -%}
        {%- if match is none or ',' in match.group(1) -%}
            {{- exceptions.raise_compiler_error(
                'listagg on Spark supports one order by expression, got: ' ~ order_by_clause
            ) -}}
        {%- endif -%}
        {%- set sorted = 'array_sort(collect_list(case when ' ~ measure ~ ' is not null then named_struct('
            ~ "'k', " ~ match.group(1) ~ ", 'v', " ~ measure ~ ') end))' -%}
        {%- if (match.group(3) or '') | lower == 'desc' -%}
            {%- set sorted = 'reverse(' ~ sorted ~ ')' -%}
        {%- endif -%}
        {%- set collected = 'transform(' ~ sorted ~ ', x -> x.v)' -%}
    {%- else -%}
        {%- set collected = 'collect_list(' ~ measure ~ ')' -%}
    {%- endif -%}
    {%- if limit_num -%}
        {%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    array_join({{ collected }}, {{ delimiter_text }})
{%- endmacro -%}
