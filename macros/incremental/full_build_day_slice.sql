{#-
    Bounded memory for a model that aggregates all history on its full build. The model
    filters its input with `{{ full_build_day_slice('occurred_at', ref('...')) }}`: on a
    full build this renders a predicate keeping the first var('full_build_slice_days')
    days of `column` in `relation`, and the model's post-hook,
    insert_remaining_day_slices(), inserts the same select for each later slice, one
    statement at a time. So no query holds more than one slice's groups (at 100M events,
    one aggregate over all history spills to disk and runs 4x slower). Renders `true` on
    an incremental run, in unit tests and when `relation` does not exist yet (compiling
    against an empty warehouse). The first slice also takes rows with a null
    `column`, the last one everything after the newest value seen.
-#}
{%- macro full_build_day_slice(column, relation) -%}
    {%- if not execute or model.resource_type == 'unit_test' or is_incremental()
        or load_relation(relation) is none -%}
        true
    {%- else -%}
        {%- set bounds = run_query(
            'select cast(min(' ~ column ~ ') as date), cast(max(' ~ column ~ ') as date) from '
            ~ relation
        ).rows[0] -%}
        {%- set days = var('full_build_slice_days') | int -%}
        {%- set starts = [] -%}
        {%- if bounds[0] is not none -%}
            {%- for offset in range(days, (bounds[1] - bounds[0]).days + 1, days) -%}
                {%- do starts.append(
                    (bounds[0] + modules.datetime.timedelta(days=offset)).strftime('%Y-%m-%d')
                ) -%}
            {%- endfor -%}
        {%- endif -%}
        /* full_build_slices {{ column }} {{ starts | join(' ') }} */
        /* slice:begin */{{ _day_slice_predicate(column, none, starts[0] if starts else none) }}/* slice:end */
    {%- endif -%}
{%- endmacro -%}

{#- Post-hook of a model using full_build_day_slice: on its full build, inserts the
    model's select for every slice after the first. Does nothing otherwise. -#}
{%- macro insert_remaining_day_slices() -%}
    {%- set spec = slice_spec(sql if sql is defined else none, 'full_build_slices') -%}
    {%- if spec is not none -%}
        {%- set column, starts = spec[0], spec[1:] | select | list -%}
        {%- set predicates = [] -%}
        {%- for start in starts -%}
            {%- set until = starts[loop.index] if not loop.last else none -%}
            {%- do predicates.append(_day_slice_predicate(column, start, until)) -%}
        {%- endfor -%}
        {%- do insert_slices(sql, predicates) -%}
    {%- endif -%}
{%- endmacro -%}

{%- macro _day_slice_predicate(column, start, until) -%}
    {%- set conditions = [] -%}
    {%- if start is not none -%}
        {%- do conditions.append(column ~ " >= cast('" ~ start ~ "' as timestamp)") -%}
    {%- endif -%}
    {%- if until is not none -%}
        {%- do conditions.append(
            '(' ~ column ~ " < cast('" ~ until ~ "' as timestamp)"
            ~ (' or ' ~ column ~ ' is null' if start is none else '') ~ ')'
        ) -%}
    {%- endif -%}
    ({{ conditions | join(' and ') if conditions else 'true' }})
{%- endmacro -%}
