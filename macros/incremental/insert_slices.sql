{#- The shared steps of the slicing post-hooks (insert_remaining_day_slices,
    insert_remaining_key_slices). slice_spec: the words of the model's
    `/* <name> ... */` marker comment, or none when the model's select has none (not a
    full build). insert_slices: inserts the select into this once per predicate, each in
    place of the part between /* slice:begin */ and /* slice:end */, one statement at a
    time. -#}
{%- macro slice_spec(model_sql, name) -%}
    {%- set marker = '/* ' ~ name ~ ' ' -%}
    {%- if execute and model_sql is string and marker in model_sql -%}
        {{- return(model_sql.split(marker)[1].split(' */')[0].split(' ')) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro -%}

{%- macro insert_slices(model_sql, predicates) -%}
    {%- set before = model_sql.split('/* slice:begin */')[0] -%}
    {%- set after = model_sql.split('/* slice:end */')[1] -%}
    {%- for predicate in predicates -%}
        {%- do run_query(
            'insert into ' ~ this ~ ' select * from (' ~ before ~ predicate ~ after ~ ') as slice'
        ) -%}
    {%- endfor -%}
{%- endmacro -%}
