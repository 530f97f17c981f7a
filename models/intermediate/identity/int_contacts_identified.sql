{#-
    Every contact known at as_of (a user_id seen on a valid row at or before as_of), with
    its latest identify traits (int_contact_traits_latest): each trait is the most recent
    non-null value among the contact's identifies (including anonymous identifies
    resolved to it) up to as_of.
    The contacts come from the summary kept across runs (identity_state_mode 'final' or
    'patched', see int_contact_activity_summarized) or from every contact-day ('full').
-#}
{%- set traits = identify_traits() -%}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_contact_activity_summarized') }}
-- depends_on: {{ ref('int_actors_relinked_after_as_of') }}
{%- set mode = identity_state_mode() %}

with

{% if mode in ('final', 'patched') %}
{#- The days before as_of's day are summarized across runs: no scan of all history.
    Contacts touched by links after as_of are read from their days at as_of instead. #}
contacts_active_before_as_of_day as (

    select contact_id
    from {{ ref('int_contact_activity_summarized') }}
    where
        active_days > 0
        {%- if mode == 'patched' %}
        and contact_id not in (
            select contact_id from {{ ref('int_actors_relinked_after_as_of') }}
        )
        {%- endif %}
    {%- if mode == 'patched' %}
    union all
    select contact_id
    from {{ ref('int_actor_activity_resolved_to_contacts') }}
    where
        not is_stored_day
        and activity_date < {{ as_of_date() }}
        and contact_id in (
            select contact_id from {{ ref('int_actors_relinked_after_as_of') }}
        )
    {%- endif %}

),

contacts_active_on_as_of_day as (

    select contact_id
    from {{ ref('int_actor_activity_resolved_to_contacts') }}
    where not is_stored_day and activity_date = {{ as_of_date() }}

),

contact_days as (

    select contact_id from contacts_active_before_as_of_day
    union all
    select contact_id from contacts_active_on_as_of_day

),
{% else %}
contact_days as (

    select * from {{ ref('int_actor_activity_resolved_to_contacts') }}

),
{% endif %}

contacts as (

    select distinct contact_id
    from contact_days

),

latest_traits as (

    select * from {{ ref('int_contact_traits_latest') }}

),

final as (

    select
        contacts.contact_id,
        {%- for trait in traits %}
        latest_traits.{{ trait }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from contacts
    left join latest_traits
        on contacts.contact_id = latest_traits.contact_id

)

select * from final
