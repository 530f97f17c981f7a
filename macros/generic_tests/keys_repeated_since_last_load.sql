{#-
    The body of the *_since_last_load uniqueness tests: every combination of `columns`
    that the latest load of `model` wrote (rows stamped with the newest `loaded_column`,
    see load_stamp()) and that appears on more than one row of the whole table. Every
    load's keys are checked against everything when they are written, so each key was
    checked once, and a refresh does not count every key of the history again. When
    every row carries one stamp (a full build) it is the plain check over all rows
    (keys_repeated).
-#}
{%- macro keys_repeated_since_last_load(model, columns, loaded_column='dbt_loaded_at') -%}
    {%- set one_load = true -%}
    {%- if execute -%}
        {%- set several = run_query(
            'select min(' ~ loaded_column ~ ') < max(' ~ loaded_column ~ ') from ' ~ model
        ).columns[0].values()[0] -%}
        {%- set one_load = not several -%}
    {%- endif -%}
    {%- if one_load %}
    {{ keys_repeated(model, columns) }}
    {%- else %}
    with

    latest_load as (

        select distinct {{ columns | join(', ') }}
        from {{ model }}
        where {{ loaded_column }} = (select max({{ loaded_column }}) from {{ model }})

    )

    select
        {%- for column in columns %}
        stored.{{ column }},
        {%- endfor %}
        count(*) as row_count
    from {{ model }} as stored
    inner join latest_load
        on
        {%- for column in columns %}
            {% if not loop.first %}and {% endif %}stored.{{ column }} = latest_load.{{ column }}
        {%- endfor %}
    group by
        {%- for column in columns %}
        stored.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    having count(*) > 1
    {%- endif %}
{%- endmacro -%}
