{#-
    Whether `relation` has the column `column` (narrow_hash of a key) filled on every row,
    so a lookup may go through it. False when it is missing or has nulls: a table written
    before the column existed (on_schema_change appends it empty for the old rows), and
    a lookup through it would miss those rows; the caller then compares the keys
    themselves. False too when not executing and in unit tests. Counting nulls reads only
    column statistics on DuckDB.
-#}
{%- macro narrow_hash_is_complete(relation, column) -%}
    {%- if not execute or relation is none or model.resource_type == 'unit_test' -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if column | lower not in names -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set nulls = run_query('select count(*) from ' ~ relation ~ ' where ' ~ column ~ ' is null') -%}
    {{- return(nulls.columns[0].values()[0] == 0) -}}
{%- endmacro -%}
