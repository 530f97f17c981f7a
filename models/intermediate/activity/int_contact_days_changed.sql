{#-
    The (contact, day) pairs int_contact_activity_accumulated recombines on this run,
    measured from its last run (it is read by name, before it runs: a ref would be a
    cycle): the days of actor-days loaded since, resolved through the identity map over
    everything loaded, and every day with activity of an anonymous_id linked for the first
    time or shared by several user_ids (each of its user_ids: its contact may have changed).

    A table of its own, built just before the accumulation in the same run, so that DuckDB
    plans the accumulation's joins with the real, small number of rows: as a CTE its size
    is a guess (a fifth of the rollup), and the hash table went on the wrong side, built
    from all 24M actor-days at 100M events to find none. Empty when the accumulation is
    built from scratch (first build, --full-refresh), which then reads every actor-day.
-#}
{%- set accumulated = existing_model_relation('int_contact_activity_accumulated') -%}
{%- set accumulated_is_rebuilt = model.resource_type != 'unit_test'
    and (accumulated is none or flags.FULL_REFRESH) %}

with

{{ contact_days_changed_ctes(accumulated) }}

final as (

    select * from changed_contact_days
    {%- if accumulated_is_rebuilt %}
    where false
    {%- endif %}

)

select * from final
