{#-
    One row per as_of that moved segment history forward. A build records its as_of only
    when it is later than every recorded one; history and health advance only then.
-#}
{{ config(unique_key='as_of') }}

with

members as (

    select * from {{ ref('int_segment_members_unioned') }}

),

this_run as (

    select
        {{ as_of() }} as as_of,
        '{{ invocation_id }}' as invocation_id,
        {{ dbt.current_timestamp() }} as evaluated_at,
        count(*) as membership_rows

    from members

),

final as (

    select * from this_run
    {%- if is_incremental() %}
    where as_of > (select coalesce(max(as_of), cast('1900-01-01' as timestamp)) from {{ this }})
    {%- endif %}

)

select * from final
