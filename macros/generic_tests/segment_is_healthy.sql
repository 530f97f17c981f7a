{#-
    Fails when the segment's latest health row (segment_health) breaks one of its
    thresholds: fewer members than min_members, a size change beyond max_change_pct,
    flapping beyond max_flapping_share, or no change for more than max_stagnant_days.
    Attach it to a segment model; returns the problems.
-#}
{%- test segment_is_healthy(model) -%}
    {%- set segment_name = model.identifier -%}
    with

    latest as (

        select *
        from {{ ref('segment_health') }}
        where segment_name = '{{ segment_name }}'
        order by as_of desc
        limit 1

    )

    select
        segment_name,
        as_of,
        problems

    from latest
    where not is_healthy
{%- endtest -%}
