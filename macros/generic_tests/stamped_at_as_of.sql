{#- Whether a row carries this run's as_of in any of `columns` (unique_combination_written_at_as_of). -#}
{%- macro stamped_at_as_of(columns) -%}
    {%- for column in columns -%}
        {{ ' or ' if not loop.first }}{{ column }} = {{ as_of() }}
    {%- endfor -%}
{%- endmacro -%}
