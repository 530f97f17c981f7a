{#-
    On an incremental run, a `where` clause keeping the rows of an upstream model that were
    (re)written after this model's last run: `column` (an upstream load stamp) later than
    the newest `loaded_column` this model holds. Exact, with no lookback: every model
    stamps the rows it writes with load_stamp(), and an upstream model runs before its
    readers in the same invocation. The newest stamp is read before the query runs and
    rendered as a literal, so table zone maps skip everything loaded before it (rows are
    appended in load order).

    `of` (a relation) measures from another incremental model's last run instead of this
    one's: a model that prepares what that model recomputes, built just before it in the
    same invocation (int_contact_days_changed for int_contact_activity_accumulated).

    A clock behind that stamp would hide new rows, so it stops the run with a clear error
    instead. Renders nothing on a full build, before this model holds any row, and in
    unit tests (whose fixture rows are all "new").
-#}
{%- macro loaded_since_last_run(column='dbt_loaded_at', loaded_column='dbt_loaded_at', of=none) -%}
    {%- set newest = last_load_stamp(loaded_column, of) -%}
    {%- if newest is not none %}
    where {{ column }} > cast('{{ newest.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
    {%- endif -%}
{%- endmacro -%}

{#- The newest load stamp this incremental model (or the relation `of`) holds, as a
    datetime; none on a full build, in unit tests, or when it holds no row. -#}
{%- macro last_load_stamp(loaded_column='dbt_loaded_at', of=none) -%}
    {%- set relation = this if of is none else of -%}
    {%- if not execute or model.resource_type == 'unit_test' or relation is none
        or (of is none and not is_incremental()) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set newest = run_query('select max(' ~ loaded_column ~ ') from ' ~ relation)
        .columns[0].values()[0] -%}
    {%- if newest is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set started = run_started_at.replace(tzinfo=none) -%}
    {%- if newest.tzinfo is not none -%}
        {%- set newest = newest.replace(tzinfo=none) -%}
    {%- endif -%}
    {%- if started <= newest -%}
        {{- exceptions.raise_compiler_error(
            relation ~ ' was last loaded at ' ~ newest ~ ' (UTC), not before this run started ('
            ~ started ~ '). Loads are stamped with the run\'s start time, so new rows would'
            ~ ' be missed: fix the clock, or rebuild with --full-refresh.'
        ) -}}
    {%- endif -%}
    {{- return(newest) -}}
{%- endmacro -%}
