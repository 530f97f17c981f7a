{#-
    One row per stint of a contact in a segment: entered_at, and exited_at (null while a
    member). Each build that moves as_of forward opens stints for new members and closes
    those of contacts that left; earlier stints are never rewritten. Never rebuilt by
    --full-refresh (full_refresh: false in dbt_project.yml), so history survives.
-#}
{{ config(unique_key=['segment_name', 'contact_id', 'entered_at']) }}

{%- set advances = segment_history_advances() %}

with

current_members as (

    select * from {{ ref('int_segment_members_unioned') }}

),

{% if is_incremental() %}
open_stints as (

    select * from {{ this }}
    where exited_at is null

),

closed_now as (

    select
        open_stints.segment_name,
        open_stints.contact_id,
        open_stints.entered_at,
        {{ as_of() }} as exited_at

    from open_stints
    left join current_members
        on
            open_stints.segment_name = current_members.segment_name
            and open_stints.contact_id = current_members.contact_id
    where current_members.contact_id is null

),

opened_now as (

    select
        current_members.segment_name,
        current_members.contact_id,
        current_members.as_of as entered_at,
        cast(null as timestamp) as exited_at

    from current_members
    left join open_stints
        on
            current_members.segment_name = open_stints.segment_name
            and current_members.contact_id = open_stints.contact_id
    where open_stints.contact_id is null

),

changes as (

    select * from closed_now
    union all
    select * from opened_now

),
{% else %}
changes as (

    select
        segment_name,
        contact_id,
        as_of as entered_at,
        cast(null as timestamp) as exited_at

    from current_members

),
{% endif %}

final as (

    select * from changes
    where {{ 'true' if advances else 'false' }}

)

select * from final
