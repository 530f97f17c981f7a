{#-
    The body of the *_since_last_load uniqueness tests: every combination of `columns`
    that the latest load of `model` wrote (rows stamped with the newest `loaded_column`,
    see load_stamp()) and that appears on more than one row of the whole table. Every
    load's keys are checked against everything when they are written, so each key was
    checked once, and a refresh does not count every key of the history again. In a
    `dbt build` that ran the model, the latest load is this invocation's stamp: a run
    that wrote nothing checks nothing (the join then skips the table) instead of checking
    the previous load's keys again. When every row carries one stamp (a full build; in a
    build that ran the model, only if it is this run's) it is the plain check over all
    rows (keys_repeated).

    `hash_column` (a single key only): a column holding narrow_hash of the key. When it is
    filled on every row (narrow_hash_is_complete), the whole table is searched through it
    for the few rows that may share a key with the latest load, and only those rows' keys
    are compared; a scan of a long string key over all history becomes a scan of 8-byte
    integers. On a full build the repeated hashes are found first, and only their rows'
    keys are grouped (58M page ids: about 8 s against 5.7 s).
-#}
{%- macro keys_repeated_since_last_load(model, columns, loaded_column='dbt_loaded_at', hash_column=none) -%}
    {%- set this_build = built_in_this_invocation(model) -%}
    {%- set one_load = true -%}
    {%- if execute -%}
        {%- set result = run_query(
            'select min(' ~ loaded_column ~ ') < max(' ~ loaded_column ~ '), min('
            ~ loaded_column ~ ') = ' ~ load_stamp() ~ ' from ' ~ model
        ) -%}
        {%- set several = result.columns[0].values()[0] -%}
        {%- set all_written_now = result.columns[1].values()[0] -%}
        {#- in a build that ran the model, one stamp is a full check only if it is this run's -#}
        {%- set one_load = not several and (not this_build or all_written_now) -%}
    {%- endif -%}
    {%- set hashed = hash_column is not none and columns | length == 1
        and narrow_hash_is_complete(model, hash_column) -%}
    {%- if one_load and hashed %}
    with

    repeated_hashes as {{ materialized() }} (

        select {{ hash_column }}
        from {{ model }}
        group by {{ hash_column }}
        having count(*) > 1

    ),

    rows_with_repeated_hash as (

        select {{ columns[0] }}
        from {{ model }}
        where {{ hash_column }} in (select {{ hash_column }} from repeated_hashes)

    )

    {{ keys_repeated('rows_with_repeated_hash', columns) }}
    {%- elif one_load %}
    {{ keys_repeated(model, columns) }}
    {%- else %}
    with

    latest_load as (

        select distinct {{ columns | join(', ') }}
        from {{ model }}
        {%- if this_build %}
        where {{ loaded_column }} = {{ load_stamp() }}
        {%- else %}
        where {{ loaded_column }} = (select max({{ loaded_column }}) from {{ model }})
        {%- endif %}

    ){% if hashed %},

    stored_with_same_hash as {{ materialized() }} (

        select {{ columns[0] }}
        from {{ model }}
        where {{ hash_column }} in (select {{ narrow_hash(columns[0]) }} from latest_load)

    ){% endif %}

    {{ keys_repeated_among('stored_with_same_hash' if hashed else model, 'latest_load', columns) }}
    {%- endif %}
{%- endmacro -%}
