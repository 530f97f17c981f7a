{#-
    unique_combination_of_columns for a table that is never rewritten and whose rows a run
    writes are stamped with that run's as_of in one of `stamp_columns`
    (segment_membership_history: a stint opened has entered_at = as_of, one closed has
    exited_at = as_of). Only the combinations of those rows are checked, never every row
    ever written again: a repeated combination always includes a row some run wrote, and
    that run's test saw it. With a year of daily runs (about 18M stints at 100M events)
    the full check took 3.3 to 3.9 s on every run, this one 0.1 s (docs/benchmarks.md).
      - A stamp column that is one of `columns` (entered_at): every row sharing such a
        row's combination carries the same stamp, so these are grouped among themselves,
        with no read of the rest (a first build, or 85 new segments, stamps millions).
      - A stamp column outside `columns` (exited_at): a stint opened by an earlier run and
        closed by this one may repeat a combination of any run's, so the few combinations
        stamped only that way are looked up in the whole table by a join.
-#}
{%- test unique_combination_written_at_as_of(model, columns, stamp_columns) -%}
    {%- if not stamp_columns -%}
        {{ exceptions.raise_compiler_error(
            "unique_combination_written_at_as_of: stamp_columns must name at least one column"
            ~ " that a run sets to its as_of on the rows it writes") }}
    {%- endif -%}
    {%- set key_stamps = stamp_columns | select('in', columns) | list -%}
    {%- set other_stamps = stamp_columns | reject('in', columns) | list -%}
    with

    {% if key_stamps %}
    stamped_in_key as (

        select * from {{ model }}
        where {{ stamped_at_as_of(key_stamps) }}

    ),

    repeated_among_key_stamped as (

        {{ keys_repeated('stamped_in_key', columns) }}

    ),
    {% endif %}

    {% if other_stamps %}
    stamped_outside_key as (

        select distinct {{ columns | join(', ') }}
        from {{ model }}
        where
            ({{ stamped_at_as_of(other_stamps) }})
            {%- if key_stamps %}
            and not coalesce({{ stamped_at_as_of(key_stamps) }}, false)
            {%- endif %}

    ),

    repeated_among_all as (

        {{ keys_repeated_among(model, 'stamped_outside_key', columns) }}

    ),
    {% endif %}

    repeated as (

        {% if key_stamps -%}
        select * from repeated_among_key_stamped
        {%- endif %}
        {% if key_stamps and other_stamps %}union all{% endif %}
        {% if other_stamps -%}
        select * from repeated_among_all
        {%- endif %}

    )

    select * from repeated
{%- endtest -%}
