{#-
    One row per segment per as_of that moved history forward: size, change since the
    previous run, who entered and left, flapping (contacts who entered and left again
    within 7 days), days since membership last changed, and checks against the segment's
    thresholds. The latest row per segment is what syncs are gated on.
-#}
{{ config(unique_key=['segment_name', 'as_of']) }}

{%- set advances = segment_history_advances() %}
{%- set catalog = segment_catalog() %}
{%- set flap_window_start = dbt.dateadd('day', -7, as_of()) %}

with

members as (

    select * from {{ ref('int_segment_members_unioned') }}

),

{# A stint counts below only if it was opened or closed at as_of, or opened within the
    flapping window: the rest of history is read for each segment's first evaluation
    alone (one narrow aggregate), so a run does not reread every stint ever written. #}
recent_stints as (

    select * from {{ ref('segment_membership_history') }}
    where
        entered_at >= {{ flap_window_start }}
        or exited_at = {{ as_of() }}

),

{# stints open at a segment's first evaluation are not entries #}
first_evaluations as (

    select
        segment_name,
        min(entered_at) as first_evaluated_at

    from {{ ref('segment_membership_history') }}
    group by segment_name

),

thresholds as (

    {%- for segment in catalog %}
    select
        '{{ segment.name }}' as segment_name,
        {{ segment.health.min_members }} as min_members,
        {{ segment.health.max_change_pct }} as max_change_pct,
        {{ segment.health.max_flapping_share }} as max_flapping_share,
        {{ segment.health.max_stagnant_days }} as max_stagnant_days
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

sizes as (

    select
        segment_name,
        count(*) as member_count

    from members
    group by segment_name

),

changes as (

    select
        recent_stints.segment_name,
        count(case when recent_stints.entered_at = {{ as_of() }} then 1 end) as entered_count,
        count(case when recent_stints.exited_at = {{ as_of() }} then 1 end) as exited_count,
        count(distinct case
            when
                recent_stints.entered_at > first_evaluations.first_evaluated_at
                and recent_stints.entered_at >= {{ flap_window_start }}
                and recent_stints.exited_at <= {{ as_of() }}
                then recent_stints.contact_id
        end) as flapping_contacts

    from recent_stints
    inner join first_evaluations
        on recent_stints.segment_name = first_evaluations.segment_name
    group by recent_stints.segment_name

),

previous as (

    {%- if is_incremental() %}
    select
        segment_name,
        member_count as previous_member_count,
        last_changed_at as previous_last_changed_at

    from {{ this }}
    where as_of = (select max(as_of) from {{ this }} where as_of < {{ as_of() }})
    {%- else %}
    select
        cast(null as string) as segment_name,
        cast(null as bigint) as previous_member_count,
        cast(null as timestamp) as previous_last_changed_at
    where 1 = 0
    {%- endif %}

),

measured as (

    select
        thresholds.segment_name,
        {{ as_of() }} as as_of,
        coalesce(sizes.member_count, 0) as member_count,
        previous.previous_member_count,
        coalesce(changes.flapping_contacts, 0) as flapping_contacts,
        coalesce(changes.entered_count, 0) as entered_count,
        coalesce(changes.exited_count, 0) as exited_count,
        case
            when
                coalesce(changes.entered_count, 0) + coalesce(changes.exited_count, 0) > 0
                or previous.previous_last_changed_at is null
                then {{ as_of() }}
            else previous.previous_last_changed_at
        end as last_changed_at,
        thresholds.min_members,
        thresholds.max_change_pct,
        thresholds.max_flapping_share,
        thresholds.max_stagnant_days

    from thresholds
    left join sizes on thresholds.segment_name = sizes.segment_name
    left join changes on thresholds.segment_name = changes.segment_name
    left join previous on thresholds.segment_name = previous.segment_name

),

ratios as (

    select
        *,
        case
            when previous_member_count is null then null
            when previous_member_count = 0 and member_count = 0 then 0.0
            when previous_member_count = 0 then 100.0
            else 100.0 * abs(member_count - previous_member_count) / previous_member_count
        end as change_pct,
        flapping_contacts * 1.0 / greatest(member_count, 1) as flapping_share,
        {{ dbt.datediff('last_changed_at', as_of(), 'day') }} as days_since_change  -- noqa: LT05

    from measured

),

checked as (

    select
        *,
        member_count < min_members as is_below_min_members,
        coalesce(change_pct > max_change_pct, false) as is_size_jump,
        flapping_share > max_flapping_share as is_flapping,
        days_since_change > max_stagnant_days as is_stagnant

    from ratios

),

final as (

    select
        *,
        (
            not is_below_min_members and not is_size_jump and not is_flapping and not is_stagnant
        ) as is_healthy,
        concat_ws(
            '; ',
            case when is_below_min_members then concat(
                'members ', cast(member_count as string), ' < min ', cast(min_members as string)
            ) end,
            case when is_size_jump then concat(
                'size changed ', cast(round(change_pct, 1) as string), '% > ',
                cast(max_change_pct as string), '%'
            ) end,
            case when is_flapping then concat(
                'flapping share ', cast(round(flapping_share, 3) as string), ' > ',
                cast(max_flapping_share as string)
            ) end,
            case when is_stagnant then concat(
                'unchanged for ', cast(days_since_change as string), ' days > ',
                cast(max_stagnant_days as string)
            ) end
        ) as problems

    from checked
    where {{ 'true' if advances else 'false' }}

)

select * from final
