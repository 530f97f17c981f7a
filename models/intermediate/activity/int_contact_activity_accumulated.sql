{#-
    Behavioural measures per contact and UTC day over everything loaded, anonymous actors
    resolved through the identity map over everything loaded (not bounded by as_of): the
    state int_actor_activity_resolved_to_contacts reads its days before as_of's day from
    whenever that map is the map at as_of.

    Incremental: the (contact, day) pairs of int_contact_days_changed, built just before
    it in the same run, are recomputed from the actor-day rollup (one of their actor-days
    was loaded since this model's last run, or an anonymous_id with activity that day was
    linked for the first time or is shared by several user_ids). A stored (contact, day)
    left with no activity is written back with actor_days = 0 (delete+insert only
    replaces keys it writes); readers keep actor_days > 0.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['contact_id', 'activity_date'],
    post_hook="{{ insert_remaining_slices() }}",
) }}
{#- The changed days and the identity map are read by each CTE that needs them, not
    through shared import CTEs: DuckDB materializes a CTE read several times (every row,
    on every run), which would defeat the pruning.
    int_contact_days_changed is measured from this model's last run: it is only right
    when built in the same invocation (dbt runs it first, and skips this model if it
    fails). When it is not selected (`dbt build -s int_contact_activity_accumulated`,
    `dbt retry`), the same CTEs run inline. -#}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
{%- set changed_model = ref('int_contact_days_changed') %}
{%- set anonymous_id_map = ref('int_anonymous_ids_mapped_to_contacts_latest') %}
{%- set changed_is_built_in_this_run = not execute or model.resource_type == 'unit_test'
    or ('model.' ~ project_name ~ '.int_contact_days_changed') in selected_resources %}
{%- set changed_contact_days = changed_model if changed_is_built_in_this_run
    else 'changed_contact_days' %}

with

{% if is_incremental() %}
{%- if not changed_is_built_in_this_run %}
{{ contact_days_changed_ctes(this) }}
{%- endif %}
actors_of_changed_contact_days as (

    select
        'user' as actor_type,
        contact_id as actor_id,
        activity_date

    from {{ changed_contact_days }}
    union all
    select
        'anonymous' as actor_type,
        anonymous_id_map.anonymous_id as actor_id,
        changed_contact_days.activity_date

    from {{ changed_contact_days }} as changed_contact_days
    inner join {{ anonymous_id_map }} as anonymous_id_map
        on changed_contact_days.contact_id = anonymous_id_map.contact_id

),

actor_days_to_combine as (

    select actor_days.*
    from {{ ref('int_actor_activity_rolled_up') }} as actor_days
    inner join actors_of_changed_contact_days
        on
            actor_days.actor_type = actors_of_changed_contact_days.actor_type
            and actor_days.actor_id = actors_of_changed_contact_days.actor_id
            and actor_days.activity_date = actors_of_changed_contact_days.activity_date

),

resolved as (

    select
        actor_days_to_combine.*,
        case
            when actor_days_to_combine.actor_type = 'user' then actor_days_to_combine.actor_id
            else anonymous_id_map.contact_id
        end as contact_id

    from actor_days_to_combine
    left join {{ anonymous_id_map }} as anonymous_id_map
        on
            actor_days_to_combine.actor_type = 'anonymous'
            and actor_days_to_combine.actor_id = anonymous_id_map.anonymous_id

),
{% else %}
{#- A full build combines one slice of days per statement (full_build_day_slice): each
    holds a slice's groups only, and the table comes out in runs of days, so the readers
    that want a few days (int_contact_activity_summarized) skip most of it.
    About 99% of contact-days are one user's own day with no anonymous actor mapped to
    it (at 100M events, 20.9M of 21.1M): those pass through as they are, and only the
    days that have an anonymous actor are combined. #}
actor_days_in_slice as {{ not_materialized() }} (

    select * from {{ ref('int_actor_activity_rolled_up') }}
    where {{ full_build_day_slice('activity_date', ref('int_actor_activity_rolled_up'), 'date') }}

),

anonymous_days_resolved as (

    select
        actor_days_in_slice.*,
        anonymous_id_map.contact_id

    from actor_days_in_slice
    inner join {{ anonymous_id_map }} as anonymous_id_map
        on actor_days_in_slice.actor_id = anonymous_id_map.anonymous_id
    where actor_days_in_slice.actor_type = 'anonymous'

),

user_days_with_anonymous_days as (

    select
        actor_days_in_slice.*,
        actor_days_in_slice.actor_id as contact_id

    from actor_days_in_slice
    where
        actor_days_in_slice.actor_type = 'user'
        and exists (
            select 1
            from anonymous_days_resolved
            where
                anonymous_days_resolved.contact_id = actor_days_in_slice.actor_id
                and anonymous_days_resolved.activity_date = actor_days_in_slice.activity_date
        )

),

user_days_alone as (

    select
        actor_days_in_slice.actor_id as contact_id,
        actor_days_in_slice.activity_date,
        {%- for measure in activity_measures() %}
        actor_days_in_slice.{{ measure.name }},
        {%- endfor %}
        actor_days_in_slice.max_received_at,
        1 as actor_days,
        {{ load_stamp() }} as dbt_loaded_at

    from actor_days_in_slice
    where
        actor_days_in_slice.actor_type = 'user'
        and not exists (
            select 1
            from anonymous_days_resolved
            where
                anonymous_days_resolved.contact_id = actor_days_in_slice.actor_id
                and anonymous_days_resolved.activity_date = actor_days_in_slice.activity_date
        )

),

resolved as (

    select * from anonymous_days_resolved
    union all
    select * from user_days_with_anonymous_days

),
{% endif %}

contact_days as (

    select
        contact_id,
        activity_date,
        {{- combined_activity_measure_columns() }},
        max(max_received_at) as max_received_at,
        count(*) as actor_days,
        {{ load_stamp() }} as dbt_loaded_at

    from resolved
    where contact_id is not null
    group by contact_id, activity_date

),

{% if is_incremental() %}
emptied_contact_days as (

    select
        loaded.contact_id,
        loaded.activity_date,
        loaded.max_received_at

    from {{ this }} as loaded
    inner join {{ changed_contact_days }} as changed_contact_days
        on
            loaded.contact_id = changed_contact_days.contact_id
            and loaded.activity_date = changed_contact_days.activity_date
    left join contact_days
        on
            loaded.contact_id = contact_days.contact_id
            and loaded.activity_date = contact_days.activity_date
    where loaded.actor_days > 0 and contact_days.contact_id is null

),

merged as (

    select * from contact_days
    union all
    select
        contact_id,
        activity_date,
        {%- for measure in activity_measures() %}
        null as {{ measure.name }},
        {%- endfor %}
        max_received_at,
        0 as actor_days,
        {{ load_stamp() }} as dbt_loaded_at

    from emptied_contact_days

),
{% else %}
merged as (

    select * from contact_days
    union all
    select * from user_days_alone

),
{% endif %}

final as (

    select * from merged

)

select * from final
