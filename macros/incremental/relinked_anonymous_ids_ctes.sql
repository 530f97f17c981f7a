{#-
    The CTEs that find anonymous_ids whose contact may have changed since this model's
    last run: linked for the first time, or seen with several user_ids. `links` is
    int_identity_links_rolled_up, read in each CTE that needs it (a CTE read several
    times is materialized by DuckDB: every link row, on every run); the last CTE,
    relinked_anonymous_ids, has one column, anonymous_id. Shared by the models that keep
    per-contact state across runs; `of` measures from another model's last run
    (loaded_since_last_run).

    When no link row was loaded since that run (a run with no new identify, or none new
    at all), relinked_anonymous_ids is known to be empty before the query runs, and says
    so with `where false`: DuckDB then drops the joins that read it at planning, instead
    of scanning every actor-day or link to match none (1.1 s of CPU in
    int_contact_days_changed at 100M events).
-#}
{%- macro relinked_anonymous_ids_ctes(links, of=none) -%}
{%- if not has_rows_loaded_since_last_run(links, of) -%}
relinked_anonymous_ids as (

    select anonymous_id
    from {{ links }}
    where false

),
{%- else -%}
new_links as (

    select * from {{ links }}
    {{ loaded_since_last_run(of=of) }}

),

new_link_counts as (

    select
        anonymous_id,
        count(*) as new_link_rows

    from new_links
    group by anonymous_id

),

link_counts as (

    select
        links.anonymous_id,
        count(*) as link_rows,
        count(distinct links.user_id) as linked_users

    from {{ links }} as links
    inner join new_link_counts
        on links.anonymous_id = new_link_counts.anonymous_id
    group by links.anonymous_id

),

{#- Linked for the first time, or seen with several user_ids: the map may have changed. #}
relinked_anonymous_ids as (

    select link_counts.anonymous_id
    from link_counts
    inner join new_link_counts
        on link_counts.anonymous_id = new_link_counts.anonymous_id
    where
        link_counts.linked_users > 1
        or link_counts.link_rows = new_link_counts.new_link_rows

),
{%- endif -%}
{%- endmacro -%}
