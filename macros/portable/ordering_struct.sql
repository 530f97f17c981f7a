{#- A struct of `columns` that compares field by field, in order (for arg_max ties). -#}
{%- macro ordering_struct(columns) -%}
    {{- return(adapter.dispatch('ordering_struct', 'audience_warehouse')(columns)) -}}
{%- endmacro -%}

{%- macro default__ordering_struct(columns) -%}
    named_struct(
    {%- for column in columns -%}
        'k{{ loop.index }}', {{ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
    )
{%- endmacro -%}

{%- macro duckdb__ordering_struct(columns) -%}
    struct_pack(
    {%- for column in columns -%}
        k{{ loop.index }} := {{ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
    )
{%- endmacro -%}
