{#- "Every column but these", in the engine's own syntax. -#}
{%- macro star_except(columns) -%}
    {{- return(adapter.dispatch('star_except', 'audience_warehouse')(columns)) -}}
{%- endmacro -%}

{%- macro default__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro -%}

{%- macro spark__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro -%}
