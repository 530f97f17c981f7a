{#-
    Bounded memory for a model that aggregates all history into one row per key on its
    full build: full_build_day_slice's counterpart for an aggregate with many groups. The
    model filters its input with `{{ full_build_key_slice('contact_id') }}`: on a full
    build this renders a predicate keeping the keys of the first of
    var('full_build_key_slices') hash buckets, and the model's post-hook,
    insert_remaining_key_slices(), inserts the same select for each other bucket, one
    statement at a time. So no query holds more than one bucket's groups (at 100M events,
    one aggregate of every contact's summary spills 15 GB to disk; docs/benchmarks.md).
    Every row of the model must depend on one key's input rows only. Renders `true` on an
    incremental run, in unit tests and with one slice.
-#}
{%- macro full_build_key_slice(column) -%}
    {%- set slices = var('full_build_key_slices') | int -%}
    {%- if not execute or model.resource_type == 'unit_test' or is_incremental() or slices < 2 -%}
        true
    {%- else -%}
        /* full_build_key_slices {{ column }} {{ slices }} */
        /* slice:begin */{{ hash_bucket(column, slices) }} = 0/* slice:end */
    {%- endif -%}
{%- endmacro -%}

{#- Post-hook of a model using full_build_key_slice: on its full build, inserts the
    model's select for every bucket after the first. Does nothing otherwise. -#}
{%- macro insert_remaining_key_slices() -%}
    {%- set spec = slice_spec(sql if sql is defined else none, 'full_build_key_slices') -%}
    {%- if spec is not none -%}
        {%- set column, slices = spec[0], spec[1] | int -%}
        {%- set predicates = [] -%}
        {%- for bucket in range(1, slices) -%}
            {%- do predicates.append(hash_bucket(column, slices) ~ ' = ' ~ bucket) -%}
        {%- endfor -%}
        {%- do insert_slices(sql, predicates) -%}
    {%- endif -%}
{%- endmacro -%}
