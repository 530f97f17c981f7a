{#-
    Bounded memory for a model that aggregates all history on its full build: its select
    runs once per slice of its input, one statement each, so no query holds more than one
    slice's groups (at 100M events one aggregate over everything spills to disk and runs
    several times slower; docs/benchmarks.md). full_build_day_slice (slices of days) and
    full_build_key_slice (hash buckets of keys) build the predicates; a model uses one
    of them once, in its select, and has the post-hook insert_remaining_slices().

    full_build_slices(predicates) renders the first predicate between /* slice:begin */
    and /* slice:end */, and lists the others in a comment; insert_remaining_slices()
    inserts the model's select once for each of those, with it in place of the first.
    With fewer than two predicates there is nothing to insert and no marker.

    The post-hook runs inside the model's transaction: on DuckDB a slice that fails rolls
    the whole build back, leaving no table (first build) or the previous one
    (--full-refresh), never a partial table the next run would treat as complete (checked
    by hand with a failing slice). Spark has no transactions: after a failed full build
    there, run it again with --full-refresh.
-#}
{%- macro full_build_slices(predicates) -%}
    {%- if predicates | length < 2 -%}
        {{- predicates[0] if predicates else 'true' -}}
    {%- else -%}
        /* remaining slices: {{ predicates[1:] | join(' ;; ') }} */
        /* slice:begin */{{ predicates[0] }}/* slice:end */
    {%- endif -%}
{%- endmacro -%}

{#- Whether slice predicates apply: a full build run (not a parse, a unit test or an
    incremental run). -#}
{%- macro is_full_build_run() -%}
    {{- return(execute and model.resource_type != 'unit_test' and not is_incremental()) -}}
{%- endmacro -%}

{#- Post-hook of a model whose select uses full_build_slices: on its full build, inserts
    the select for every slice after the first. Does nothing otherwise. -#}
{%- macro insert_remaining_slices() -%}
    {%- set marker = '/* remaining slices: ' -%}
    {%- if execute and sql is defined and marker in sql -%}
        {%- set remaining = sql.split(marker)[1].split(' */')[0].split(' ;; ') -%}
        {%- set before = sql.split('/* slice:begin */')[0] -%}
        {%- set after = sql.split('/* slice:end */')[1] -%}
        {%- for predicate in remaining -%}
            {%- do run_query(
                'insert into ' ~ this ~ ' select * from (' ~ before ~ predicate ~ after ~ ') as slice'
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro -%}
