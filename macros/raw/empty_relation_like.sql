{#- An empty relation with the columns and data types declared on a source node. -#}
{%- macro empty_relation_like(node) -%}
    {%- if node.columns | length == 0 -%}
        {{- exceptions.raise_compiler_error(
            'Source ' ~ node.source_name ~ '.' ~ node.name ~ ' declares no columns: '
            ~ 'an optional table needs its columns and data types in the sources file.'
        ) -}}
    {%- endif -%}
    (
        select
        {%- for column in node.columns.values() %}
            cast(null as {{ column.data_type }}) as {{ adapter.quote(column.name) }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
        where 1 = 0
    )
{%- endmacro -%}
