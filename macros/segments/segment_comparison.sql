{#-
    The SQL condition for the comparison keys of a rule node applied to `expression`:
    gte, gt, lte, lt, eq, ne, in, not_in, between: [low, high] (inclusive), is_null.
    Several keys combine with and. Returns none when the node has no comparison key.
-#}
{%- macro segment_comparison(expression, node, segment_name, path) -%}
    {%- set operators = {'gte': '>=', 'gt': '>', 'lte': '<=', 'lt': '<', 'eq': '=', 'ne': '<>'} -%}
    {%- set parts = [] -%}
    {%- for key, value in node.items() -%}
        {%- if key in operators -%}
            {%- if value is none -%}
                {{ segment_error(segment_name, path, key ~ ' needs a value; use is_null: true for nulls') }}
            {%- endif -%}
            {%- do parts.append(expression ~ ' ' ~ operators[key] ~ ' ' ~ sql_literal(value)) -%}
        {%- elif key in ['in', 'not_in'] -%}
            {%- if value is string or value is not iterable or value | length == 0 -%}
                {{ segment_error(segment_name, path, key ~ ' needs a non-empty list') }}
            {%- endif -%}
            {%- set literals = [] -%}
            {%- for item in value -%}{%- do literals.append(sql_literal(item)) -%}{%- endfor -%}
            {%- do parts.append(
                expression ~ (' in (' if key == 'in' else ' not in (') ~ literals | join(', ') ~ ')'
            ) -%}
        {%- elif key == 'between' -%}
            {%- if value is string or value is not iterable or value | length != 2 -%}
                {{ segment_error(segment_name, path, 'between needs [low, high]') }}
            {%- endif -%}
            {%- do parts.append(
                expression ~ ' between ' ~ sql_literal(value[0]) ~ ' and ' ~ sql_literal(value[1])
            ) -%}
        {%- elif key == 'is_null' -%}
            {%- do parts.append(expression ~ (' is null' if value else ' is not null')) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(('(' ~ parts | join(' and ') ~ ')') if parts else none) -}}
{%- endmacro -%}
