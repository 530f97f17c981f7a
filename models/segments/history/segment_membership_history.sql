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

{# one pass over members and open stints: a member without an open stint enters, an open
    stint without a member closes #}
compared as (

    select
        coalesce(current_members.segment_name, open_stints.segment_name) as segment_name,
        coalesce(current_members.contact_id, open_stints.contact_id) as contact_id,
        current_members.contact_id is not null as is_member,
        open_stints.entered_at as open_entered_at

    from current_members
    full outer join open_stints
        on
            current_members.segment_name = open_stints.segment_name
            and current_members.contact_id = open_stints.contact_id
    where current_members.contact_id is null or open_stints.contact_id is null

),

changes as (

    select
        segment_name,
        contact_id,
        case when is_member then {{ as_of() }} else open_entered_at end as entered_at,
        case when is_member then cast(null as timestamp) else {{ as_of() }} end as exited_at

    from compared

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
