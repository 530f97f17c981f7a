{#-
    One row per contact known at as_of: identity, CRM attributes, lifetime behaviour, every
    windowed measure over var('feature_windows_days'), sessions, suppression flags and the
    intent stage. The measures come from macros/features/activity_measures.sql.

    When the identity map at as_of is the map over everything loaded, the summary of the
    days before as_of's day is read from int_contact_activity_summarized (kept across
    runs) and only as_of's own day is added here. When links after as_of touch some
    contacts (identity_state_mode 'patched'), those contacts' days before as_of's day are
    summarized here from their days at as_of instead. With the mode 'full', every
    contact-day up to as_of is aggregated.
-#}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_contact_activity_summarized') }}
-- depends_on: {{ ref('int_actors_relinked_after_as_of') }}
{%- set windows = var('feature_windows_days') -%}
{%- set summary_columns = contact_summary_columns() -%}
{%- set mode = identity_state_mode() %}
{%- set use_summary = mode in ('final', 'patched') %}

with

contacts as (

    select * from {{ ref('int_contacts_identified') }}

),

crm_contacts as (

    select * from {{ ref('int_crm_contacts_deduplicated') }}

),

sessions as (

    select * from {{ ref('int_contact_actions_sessionized') }}

),

{% if mode == 'patched' %}
relinked_contacts as (

    select distinct contact_id from {{ ref('int_actors_relinked_after_as_of') }}

),
{% endif %}
{% if use_summary %}
{#- The summary of the days before as_of's day, one row per contact: read twice below,
    so written out each time (as a CTE, DuckDB would materialize all of it). The stored
    summary has no 1-day windows (they hold as_of's day alone): 0 or null before it. -#}
{%- set stored_parts = contact_summary_parts(before_as_of_day=true) | map(attribute='name') | list -%}
{%- set stored_summary_columns = [] -%}
{%- for part in contact_summary_parts() -%}
    {%- if part.name in stored_parts -%}
        {%- do stored_summary_columns.append(part.name) -%}
    {%- else -%}
        {%- do stored_summary_columns.append(
            ('0' if part.measure.combine == 'sum' else 'null') ~ ' as ' ~ part.name
        ) -%}
    {%- endif -%}
{%- endfor -%}
{%- set summarized_before_as_of_day = '(select contact_id, '
    ~ stored_summary_columns | join(', ')
    ~ ' from ' ~ ref('int_contact_activity_summarized')
    ~ (' where contact_id not in (select contact_id from relinked_contacts)'
        ~ ' union all select * from relinked_summarized_before_as_of_day'
        if mode == 'patched' else '')
    ~ ')' %}
{% if mode == 'patched' %}
relinked_contact_days_before_as_of_day as (

    select * from {{ ref('int_actor_activity_resolved_to_contacts') }}
    where
        not is_stored_day
        and activity_date < {{ as_of_date() }}
        and contact_id in (select contact_id from relinked_contacts)

),

relinked_summarized_before_as_of_day as (

    select
        contact_id,
        {{- contact_summary_select_columns() }}

    from relinked_contact_days_before_as_of_day
    group by contact_id

),
{% endif %}

contact_days_on_as_of_day as (

    select * from {{ ref('int_actor_activity_resolved_to_contacts') }}
    where not is_stored_day and activity_date = {{ as_of_date() }}

),

summarized_on_as_of_day as (

    select
        contact_id,
        {{- contact_summary_select_columns() }}

    from contact_days_on_as_of_day
    group by contact_id

),

{#- Only the contacts active on as_of's day have two rows to combine; every other
    contact's summary is already its activity summary. #}
summaries_to_combine as (

    select before_as_of_day.*
    from {{ summarized_before_as_of_day }} as before_as_of_day
    inner join summarized_on_as_of_day
        on before_as_of_day.contact_id = summarized_on_as_of_day.contact_id
    union all
    select * from summarized_on_as_of_day

),

combined_summaries as (

    select
        contact_id,
        {{- contact_summary_recombined_columns() }}

    from summaries_to_combine
    group by contact_id

),

summaries_inactive_on_as_of_day as (

    select before_as_of_day.*
    from {{ summarized_before_as_of_day }} as before_as_of_day
    left join summarized_on_as_of_day
        on before_as_of_day.contact_id = summarized_on_as_of_day.contact_id
    where summarized_on_as_of_day.contact_id is null

),

activity_summary as (

    select * from combined_summaries
    union all
    select * from summaries_inactive_on_as_of_day

),
{% else %}
contact_days as (

    select * from {{ ref('int_actor_activity_resolved_to_contacts') }}

),

activity_summary as (

    select
        contact_id,
        {{- contact_summary_select_columns() }}

    from contact_days
    group by contact_id

),
{% endif %}

session_summary as (

    select
        contact_id,
        {%- for days in windows %}
        {%- set started_in_window = 'session_started_at >= ' ~ window_start(days) %}
        cast(count(case when {{ started_in_window }} then 1 end) as integer) as sessions_{{ days }}d
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from sessions
    group by contact_id

),

joined as (

    select
        contacts.*,
        crm_contacts.crm_contact_id,
        crm_contacts.lifecycle_stage,
        crm_contacts.company_name as crm_company_name,
        crm_contacts.industry,
        crm_contacts.employee_count,
        crm_contacts.country as crm_country,
        {%- for name, expression in summary_columns %}
        activity_summary.{{ name }},
        {%- endfor %}
        {%- for days in windows %}
        coalesce(session_summary.sessions_{{ days }}d, 0) as sessions_{{ days }}d,
        {%- endfor %}
        activity_summary.first_hard_bounce_at is not null as is_hard_bounced,
        activity_summary.first_unsubscribed_at is not null as is_unsubscribed,
        (
            activity_summary.first_hard_bounce_at is not null
            or activity_summary.first_unsubscribed_at is not null
        ) as is_email_suppressed,
        {{ dbt.datediff('activity_summary.last_action_at', as_of(), 'day') }}
            as days_since_last_action

    from contacts
    left join activity_summary
        on contacts.contact_id = activity_summary.contact_id
    left join session_summary
        on contacts.contact_id = session_summary.contact_id
    left join crm_contacts
        on contacts.email = crm_contacts.email

),

with_intent as (

    select
        *,
        case
            when
                checkouts_14d > 0
                or pricing_page_views_7d >= 3
                or (demo_page_views_7d > 0 and form_submissions_30d > 0)
                then 'ready'
            when
                pricing_page_views_30d + demo_page_views_30d + case_study_page_views_30d
                + product_views_30d > 0
                then 'evaluating'
            when user_actions_30d > 0 then 'researching'
            else 'dormant'
        end as intent_stage,
        {{ as_of() }} as as_of

    from joined

),

final as (

    select * from with_intent

)

select * from final
