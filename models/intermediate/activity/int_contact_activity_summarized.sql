{#-
    Per contact, every summary column of contact_features (contact_summary_parts) over the
    contact's days before as_of's day, from int_contact_activity_accumulated. contact_features
    adds as_of's own day, so it never aggregates all history per run. The 1-day windows
    hold as_of's day alone: they are not stored here (always 0 or null), contact_features
    takes them from as_of's day. A full build
    summarizes var('full_build_key_slices') hash buckets of contacts, one statement each
    (full_build_key_slice), so its memory is bounded by a bucket.

    Incremental: the table holds the summary for the days before `summarized_before`, the
    as_of day of its last run (D0). Moving to as_of's day D (D0 <= D <= D0 + 7):
      - days entering the summary ([D0, D)) are added, per window where they fall;
      - days leaving a window N ([D0 - N + 1, D - N]) are subtracted from its sums;
      - a contact is summarized again from all its days when one of its days before D0
        was rewritten since the last run (late events, re-links: loaded_since_last_run);
      - a windowed maximum or minimum with a value on a day leaving its window is taken
        again over the window's days (one narrow read of the last 90 days' rows);
      - every other contact is left as it is: none of its days moved in or out of a window.
    A run that rewrites no row leaves the newest summarized_before behind; that is exact
    too, because then no contact had a day in the ranges skipped. Anything else (a first
    run, as_of moved back or more than 7 days on) summarizes every contact again. A
    contact left with no day is written with active_days = 0.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='contact_id',
    post_hook="{{ insert_remaining_slices() }}",
) }}
{%- set max_shift_days = 7 -%}
{%- set as_of_day = get_as_of().date() -%}
{%- set parts = contact_summary_parts(before_as_of_day=true) -%}
{%- set windows = parts | selectattr('days') | map(attribute='days') | unique | list -%}
{%- set previous_day = none -%}
{%- if execute and is_incremental() and model.resource_type != 'unit_test' -%}
    {%- set previous_day = run_query('select max(summarized_before) from ' ~ this).columns[0].values()[0] -%}
{%- elif execute and is_incremental() -%}
    {%- set previous_day = as_of_day - modules.datetime.timedelta(days=1) -%}
{%- endif -%}
{%- set is_delta = previous_day is not none
    and previous_day <= as_of_day
    and (as_of_day - previous_day).days <= max_shift_days -%}
{#- The contact's days before as_of's day, read where each CTE needs them, with that
    CTE's filter: as a CTE read by several others, DuckDB would materialize all of them
    on every run (21M rows at 100M events, spilled to disk) to use a few. -#}
{%- set contact_days = '(select * from ' ~ ref('int_contact_activity_accumulated')
    ~ ' where activity_date < ' ~ as_of_date() ~ ' and actor_days > 0)' %}

with

{% if is_delta %}
{%- set previous_date = "cast('" ~ previous_day.strftime('%Y-%m-%d') ~ "' as date)" -%}
{%- set leaving_ranges = [] -%}
{#- Window N loses its days in [D0 - N + 1, D - N] that the summary holds (before D0). -#}
{%- for days in windows -%}
    {%- set first = previous_day - modules.datetime.timedelta(days=days - 1) -%}
    {%- set last = [
        as_of_day - modules.datetime.timedelta(days=days),
        previous_day - modules.datetime.timedelta(days=1),
    ] | min -%}
    {%- if first <= last -%}
        {%- do leaving_ranges.append({
            'days': days,
            'first': "cast('" ~ first.strftime('%Y-%m-%d') ~ "' as date)",
            'last': "cast('" ~ last.strftime('%Y-%m-%d') ~ "' as date)",
        }) -%}
    {%- endif -%}
{%- endfor %}
stored as (

    select * from {{ this }}

),

rewritten_days as (

    select * from {{ ref('int_contact_activity_accumulated') }}
    {{ loaded_since_last_run() }}

),

{#- Summarized again from all their days: a day already summarized changed. #}
contacts_to_resummarize as (

    select distinct contact_id
    from rewritten_days
    where activity_date < {{ previous_date }}

),

days_to_resummarize as (

    select contact_days.*
    from {{ contact_days }} as contact_days
    inner join contacts_to_resummarize
        on contact_days.contact_id = contacts_to_resummarize.contact_id

),

resummarized_activity as (

    select
        contact_id,
        {{- contact_summary_select_columns(before_as_of_day=true) }},
        count(*) as active_days

    from days_to_resummarize
    group by contact_id

),

resummarized as (

    select
        contacts_to_resummarize.contact_id,
        {%- for part in parts %}
        {%- if part.measure.combine == 'sum' %}
        coalesce(resummarized_activity.{{ part.name }}, 0) as {{ part.name }},
        {%- else %}
        resummarized_activity.{{ part.name }},
        {%- endif %}
        {%- endfor %}
        coalesce(resummarized_activity.active_days, 0) as active_days

    from contacts_to_resummarize
    left join resummarized_activity
        on contacts_to_resummarize.contact_id = resummarized_activity.contact_id

),

{#- Days moving into the summary or out of a window, of contacts not summarized again. #}
shifted_days as (

    select
        contact_days.*,
        {#- +1 on a day entering the summary (and window N), -1 on a day leaving window N:
            `moved` multiplies its sums by these and takes its other values where they are 1 #}
        case when activity_date >= {{ previous_date }} then 1 else 0 end as entering_weight,
        {%- for days in windows %}
        {%- set range = leaving_ranges | selectattr('days', 'equalto', days) | list | first %}
        case
            when activity_date >= {{ previous_date }} and activity_date >= {{ window_start_date(days) }} then 1
            {%- if range %}
            when activity_date between {{ range.first }} and {{ range.last }} then -1
            {%- endif %}
            else 0
        end as window_{{ days }}d_weight{{ ',' if not loop.last }}
        {%- endfor %}

    from {{ contact_days }} as contact_days
    left join contacts_to_resummarize
        on contact_days.contact_id = contacts_to_resummarize.contact_id
    where
        contacts_to_resummarize.contact_id is null
        and (
            activity_date >= {{ previous_date }}
            {%- for range in leaving_ranges %}
            or activity_date between {{ range.first }} and {{ range.last }}
            {%- endfor %}
        )

),

{#- What the moved days change, per contact, in one aggregate over them: each sum adds
    its entering days and subtracts its days leaving the window (lifetime sums lose
    nothing); a maximum, minimum or latest value is taken over the entering days (null
    when none). Entering days (from D0 on) and leaving ones (before D0) never overlap. #}
moved as (

    select
        contact_id,
        {%- for part in parts %}
        {%- set weight = ('window_' ~ part.days ~ 'd_weight') if part.days is not none else 'entering_weight' %}
        {%- if part.measure.combine == 'sum' %}
        {#- entering days add, days leaving the window subtract: a product with the day's
            weight (shifted_days) aggregates faster than a case per column #}
        {{ combine_activity_measure(part.measure, value=part.measure.name ~ ' * ' ~ weight) }} as {{ part.name }},
        {%- else %}
        {{ combine_activity_measure(part.measure, where=weight ~ ' = 1') }} as {{ part.name }},
        {%- endif %}
        {%- endfor %}
        count(case when entering_weight = 1 then 1 end) as active_days

    from shifted_days
    group by contact_id

),

{#- Each moved contact's stored row plus what moved, joined row by row: one aggregate over
    the stored rows and the days (about 95 columns) cost most of the run. A contact with a
    leaving day has a stored row; one with entering days only may be new. #}
shifted as (

    select
        moved.contact_id,
        {{- contact_summary_shifted_columns('stored', 'moved', before_as_of_day=true) }},
        coalesce(stored.active_days, 0) + moved.active_days as active_days

    from moved
    left join stored
        on moved.contact_id = stored.contact_id

),
{%- set extremes = parts | selectattr('days') | rejectattr('measure.combine', 'equalto', 'sum') | list %}
{%- set extreme_ranges = leaving_ranges | selectattr('days', 'in', extremes | map(attribute='days') | list) | list %}
{%- if extreme_ranges %}

{#- A windowed maximum or minimum cannot be shifted when a day leaving its window holds
    a value: those contacts' window values are taken again from the window's days, with
    the summary's own expressions (contact_summary_columns). #}
{%- set extreme_names = extremes | map(attribute='name') | list %}
{%- set leaving_values = [] %}
{%- for range in extreme_ranges %}
{%- for part in extremes if part.days == range.days %}
{%- do leaving_values.append(
    '(contact_days.activity_date between ' ~ range.first ~ ' and ' ~ range.last
    ~ ' and contact_days.' ~ part.measure.name ~ ' is not null)'
) %}
{%- endfor %}
{%- endfor %}
contacts_with_extremes_leaving as (

    select distinct contact_days.contact_id
    from {{ contact_days }} as contact_days
    where
        {{ leaving_values | join('\n        or ') }}

),

{#- One row per contact of contacts_with_extremes_leaving, with null extremes when none
    of its days is left in the windows: the one join below, whose build side is these
    few rows, both finds the contacts to patch and patches them. -#}
window_extremes as (

    select
        contacts_with_extremes_leaving.contact_id,
        {%- for name, expression in contact_summary_columns(before_as_of_day=true) if name in extreme_names %}
        {{ expression }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}

    from contacts_with_extremes_leaving
    left join {{ contact_days }} as contact_days
        on
            contacts_with_extremes_leaving.contact_id = contact_days.contact_id
            and contact_days.activity_date >= {{ window_start_date(extremes | map(attribute='days') | max) }}
            {#- a day with none of the values adds nothing: the scan keeps only days with one #}
            and (
                {%- for name in extremes | map(attribute='measure.name') | unique %}
                {{ 'or ' if not loop.first }}contact_days.{{ name }} is not null
                {%- endfor %}
            )
    group by contacts_with_extremes_leaving.contact_id

),

shifted_with_extremes as (

    select
        shifted.contact_id,
        {%- for part in parts %}
        {%- if part in extremes %}
        case
            when window_extremes.contact_id is null then shifted.{{ part.name }}
            else window_extremes.{{ part.name }}
        end as {{ part.name }},
        {%- else %}
        shifted.{{ part.name }},
        {%- endif %}
        {%- endfor %}
        shifted.active_days

    from shifted
    left join window_extremes
        on shifted.contact_id = window_extremes.contact_id

),
{%- else %}

shifted_with_extremes as (

    select * from shifted

),
{%- endif %}

summarized as (

    select * from resummarized
    union all
    select * from shifted_with_extremes

),
{% else %}
summarized_activity as (

    select
        contact_id,
        {{- contact_summary_select_columns(before_as_of_day=true) }},
        count(*) as active_days

    from {{ contact_days }} as contact_days
    {#- A full build summarizes one bucket of contacts per statement (full_build_key_slice). #}
    where {{ full_build_key_slice('contact_id') }}
    group by contact_id

),

{% if is_incremental() %}
{#- Summarizing everything on an incremental run: a stored contact left with no day
    before as_of's day is written back empty (delete+insert only replaces keys it writes). #}
emptied as (

    select
        stored.contact_id,
        {%- for part in parts %}
        {{ '0' if part.measure.combine == 'sum' else 'null' }} as {{ part.name }},
        {%- endfor %}
        0 as active_days

    from {{ this }} as stored
    left join summarized_activity
        on stored.contact_id = summarized_activity.contact_id
    where summarized_activity.contact_id is null

),

summarized as (

    select * from summarized_activity
    union all
    select * from emptied

),
{% else %}
summarized as (

    select * from summarized_activity

),
{% endif %}
{% endif %}

final as (

    select
        *,
        {{ as_of_date() }} as summarized_before,
        {{ load_stamp() }} as dbt_loaded_at

    from summarized

)

select * from final
