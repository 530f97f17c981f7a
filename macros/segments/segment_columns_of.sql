{#-
    Lower-cased column names of a built relation, to validate segment rules against; an
    empty list (no validation) at parse time, in unit tests, or before the first build.
-#}
{%- macro segment_columns_of(relation) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
    {%- if found is none -%}
        {{- return([]) -}}
    {%- endif -%}
    {{- return(adapter.get_columns_in_relation(found) | map(attribute='name') | map('lower') | list) -}}
{%- endmacro -%}
