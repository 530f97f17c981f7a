{#-
    The segment catalog: every segment with its description, owner, definition, current
    size at as_of, who entered and left since the last run, and its health.
-#}
{%- set catalog = segment_catalog() %}

with

definitions as (

    {%- for segment in catalog %}
    select
        '{{ segment.name }}' as segment_name,
        {{ sql_literal(segment.description or none) }} as description,
        {{ sql_literal(segment.owner) }} as owner,  -- noqa: RF04
        '{{ segment.kind }}' as kind,
        {{ sql_literal(segment.definition) }} as definition
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

members as (

    select * from {{ ref('int_segment_members_unioned') }}

),

health as (

    select * from {{ ref('segment_health') }}
    where as_of = {{ as_of() }}

),

sizes as (

    select
        segment_name,
        count(*) as member_count

    from members
    group by segment_name

),

final as (

    select
        definitions.segment_name,
        definitions.description,
        definitions.owner,
        definitions.kind,
        definitions.definition,
        coalesce(sizes.member_count, 0) as member_count,
        health.entered_count as entered_since_last_run,
        health.exited_count as exited_since_last_run,
        health.is_healthy,
        health.problems,
        {{ as_of() }} as as_of

    from definitions
    left join sizes on definitions.segment_name = sizes.segment_name
    left join health on definitions.segment_name = health.segment_name

)

select * from final
