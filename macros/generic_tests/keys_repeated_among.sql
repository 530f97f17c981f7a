{#- Every combination of `columns` listed in `keys` (a relation with one row per
    combination) that appears on more than one row of `stored`, found by a join from those
    few keys into `stored` instead of grouping all of it (the tests that check only what a
    run wrote: keys_repeated_since_last_load, unique_combination_written_at_as_of). -#}
{%- macro keys_repeated_among(stored, keys, columns) -%}
    select
        {%- for column in columns %}
        stored.{{ column }},
        {%- endfor %}
        count(*) as row_count
    from {{ stored }} as stored
    inner join {{ keys }} as written_keys
        on
        {%- for column in columns %}
            {% if not loop.first %}and {% endif %}stored.{{ column }} = written_keys.{{ column }}
        {%- endfor %}
    group by
        {%- for column in columns %}
        stored.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    having count(*) > 1
{%- endmacro -%}
