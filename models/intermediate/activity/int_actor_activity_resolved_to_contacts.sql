{#-
    Behavioural measures per contact and UTC day, up to as_of, anonymous actors resolved to
    contacts through the identity map of this as_of: the stored contact-days where they
    hold at as_of, and the days int_contact_days_resolved_at_as_of combined for this
    as_of (as_of's own day; the days of the contacts whose stored days do not hold).

    When that map is the map over everything loaded (no link after as_of), the days
    before as_of's day are read as they are from int_contact_activity_accumulated, kept
    across runs. When some links happened after as_of (identity_state_mode 'patched'), the
    contacts they touch (int_actors_relinked_after_as_of) are left out of the stored days
    and come combined instead; with the mode 'full', every contact does. A view: its
    readers (int_contacts_identified, contact_features) scan the stored days directly,
    with no copy of all history per run.

    is_stored_day tells the two parts apart: a reader that wants only the combined days
    filters on `not is_stored_day`, and the engine then skips the stored days without
    reading them (a constant per part).
-#}
-- depends_on: {{ ref('int_identity_links_rolled_up') }}
-- depends_on: {{ ref('int_contact_activity_accumulated') }}
-- depends_on: {{ ref('int_actors_relinked_after_as_of') }}
{%- set mode = identity_state_mode() %}
{%- set use_accumulated = mode in ('final', 'patched') %}

with

{% if mode == 'patched' %}
relinked_actors as (

    select * from {{ ref('int_actors_relinked_after_as_of') }}

),
{% endif %}
{% if use_accumulated %}
contact_days_before_as_of_day as (

    select
        contact_id,
        activity_date,
        {%- for measure in activity_measures() %}
        {{ measure.name }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from {{ ref('int_contact_activity_accumulated') }}
    where
        activity_date < {{ as_of_date() }}
        and actor_days > 0
        {%- if mode == 'patched' %}
        and contact_id not in (select contact_id from relinked_actors)
        {%- endif %}

),
{% endif %}
combined_at_as_of as (

    select * from {{ ref('int_contact_days_resolved_at_as_of') }}

),

final as (

    {% if use_accumulated -%}
    select
        *,
        true as is_stored_day

    from contact_days_before_as_of_day
    union all
    {% endif -%}
    select
        *,
        false as is_stored_day

    from combined_at_as_of

)

select * from final
