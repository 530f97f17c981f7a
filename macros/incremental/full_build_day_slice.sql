{#-
    Slices of a full build (full_build_slices) by day: `where {{
    full_build_day_slice('occurred_at', ref('...')) }}` keeps var('full_build_slice_days')
    days of `column` in `relation` per statement (`column_type` 'date' for a date column,
    so the bounds are dates and zone maps can skip what a slice does not need). The first slice also takes rows with a
    null `column`, the last one everything after the newest value seen. Renders `true` on
    an incremental run, in unit tests and when `relation` does not exist yet (compiling
    against an empty warehouse).
-#}
{%- macro full_build_day_slice(column, relation, column_type='timestamp') -%}
    {%- set predicates = [] -%}
    {%- if is_full_build_run() and load_relation(relation) is not none -%}
        {%- set bounds = run_query(
            'select cast(min(' ~ column ~ ') as date), cast(max(' ~ column ~ ') as date) from '
            ~ relation
        ).rows[0] -%}
        {%- set days = var('full_build_slice_days') | int -%}
        {%- set edges = [none] -%}
        {%- if bounds[0] is not none -%}
            {%- for offset in range(days, (bounds[1] - bounds[0]).days + 1, days) -%}
                {%- do edges.append(
                    (bounds[0] + modules.datetime.timedelta(days=offset)).strftime('%Y-%m-%d')
                ) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do edges.append(none) -%}
        {%- for start in edges[:-1] -%}
            {%- do predicates.append(_day_slice_predicate(column, start, edges[loop.index], column_type)) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- full_build_slices(predicates) -}}
{%- endmacro -%}

{%- macro _day_slice_predicate(column, start, until, column_type) -%}
    {%- set conditions = [] -%}
    {%- if start is not none -%}
        {%- do conditions.append(column ~ " >= cast('" ~ start ~ "' as " ~ column_type ~ ")") -%}
    {%- endif -%}
    {%- if until is not none -%}
        {%- do conditions.append(
            '(' ~ column ~ " < cast('" ~ until ~ "' as " ~ column_type ~ ")"
            ~ (' or ' ~ column ~ ' is null' if start is none else '') ~ ')'
        ) -%}
    {%- endif -%}
    ({{ conditions | join(' and ') if conditions else 'true' }})
{%- endmacro -%}
