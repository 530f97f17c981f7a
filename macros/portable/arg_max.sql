{#-
    The value of `value` on the row with the largest `order_by` (a column or a list of
    columns compared in order, so ties are broken deterministically). With `where`, only
    rows where it holds are considered.
-#}
{%- macro arg_max(value, order_by, where=none) -%}
    {{- return(adapter.dispatch('arg_max', 'audience_warehouse')(value, order_by, where)) -}}
{%- endmacro -%}

{%- macro default__arg_max(value, order_by, where) -%}
    {%- set keys = [order_by] if order_by is string else order_by -%}
    {%- if keys | length == 1 -%}
        {%- set key = keys[0] -%}
    {%- else -%}
        {%- set parts = [] -%}
        {%- for column in keys -%}
            {%- do parts.append("'k" ~ loop.index ~ "', " ~ column) -%}
        {%- endfor -%}
        {%- set key = 'named_struct(' ~ parts | join(', ') ~ ')' -%}
    {%- endif -%}
    max_by({{ value }}, {{ _arg_max_filtered(key, where) }})
{%- endmacro -%}

{%- macro duckdb__arg_max(value, order_by, where) -%}
    {%- set keys = [order_by] if order_by is string else order_by -%}
    {%- if keys | length == 1 -%}
        {%- set key = keys[0] -%}
    {%- else -%}
        {%- set parts = [] -%}
        {%- for column in keys -%}
            {%- do parts.append('k' ~ loop.index ~ ' := ' ~ column) -%}
        {%- endfor -%}
        {%- set key = 'struct_pack(' ~ parts | join(', ') ~ ')' -%}
    {%- endif -%}
    arg_max({{ value }}, {{ _arg_max_filtered(key, where) }})
{%- endmacro -%}

{%- macro _arg_max_filtered(key, where) -%}
    {%- if where is none -%}
        {{- key -}}
    {%- else -%}
        case when {{ where }} then {{ key }} end
    {%- endif -%}
{%- endmacro -%}
