{#-
    keep_first_received on a full build: the rows whose id occurs once pass as read (the
    raw files are in received_at order, and an anti-join with the few repeated hashes
    keeps that order closely enough for zone maps), and only the repeated ids are ranked. A
    window over every row would sort all of history by id, and a sort back into
    received_at order would follow it (docs/benchmarks.md has the figures).

    Repeated ids are found through event_id_hash: grouping 8-byte integers instead of the
    id strings. Rows whose hash repeats are ranked within their id, so two ids that share
    a hash each keep their first copy.

    `every_row` is `relation` before its validity filter: the repeated hashes are looked
    for over every row, which reads the id column alone instead of every column the filter
    needs (58M raw pages: 5 to 8 s of CPU less). A hash that repeats only because of a
    rejected copy sends its valid row through the ranking, which keeps it: more rows
    ranked, the same rows kept.
-#}
{%- macro keep_first_received_full_build(relation, every_row) -%}
    with

    hashed as {{ not_materialized() }} (

        select
            *,
            {{ narrow_hash('event_id') }} as event_id_hash
        from {{ relation }}

    ),

    repeated_hashes as {{ materialized() }} (

        select {{ narrow_hash('event_id') }} as event_id_hash
        from {{ every_row }}
        group by event_id_hash
        having count(*) > 1

    ),

    ids_seen_once as (

        select
            hashed.*,
            {{ load_stamp() }} as dbt_loaded_at
        from hashed
        left join repeated_hashes
            on hashed.event_id_hash = repeated_hashes.event_id_hash
        where repeated_hashes.event_id_hash is null

    ),

    repeated_ids_ranked as (

        select
            hashed.*,
            {{ received_rank('hashed') }} as received_rank
        from hashed
        inner join repeated_hashes
            on hashed.event_id_hash = repeated_hashes.event_id_hash

    ),

    repeated_ids_first_received as (

        select
            {{ star_except(['received_rank']) }},
            {{ load_stamp() }} as dbt_loaded_at
        from repeated_ids_ranked
        where received_rank = 1

    )

    select * from ids_seen_once
    union all
    select * from repeated_ids_first_received
{%- endmacro -%}
