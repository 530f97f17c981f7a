{#-
    keep_first_received on a full build: the rows whose id occurs once pass as read (the
    raw files are in received_at order, and an anti-join with the few repeated ids keeps
    that order closely enough for zone maps), and only the repeated ids are ranked. A
    window over every row would sort all of history by id, and a sort back into
    received_at order would follow it (docs/benchmarks.md has the figures).
-#}
{%- macro keep_first_received_full_build(relation) -%}
    with

    repeated_ids as (

        select event_id
        from {{ relation }}
        group by event_id
        having count(*) > 1

    ),

    ids_seen_once as (

        select
            candidate.*,
            {{ narrow_hash('candidate.event_id') }} as event_id_hash,
            {{ load_stamp() }} as dbt_loaded_at
        from {{ relation }} as candidate
        where not exists (
            select 1
            from repeated_ids
            where repeated_ids.event_id = candidate.event_id
        )

    ),

    repeated_ids_ranked as (

        select
            candidate.*,
            {{ received_rank('candidate') }} as received_rank
        from {{ relation }} as candidate
        inner join repeated_ids
            on candidate.event_id = repeated_ids.event_id

    ),

    repeated_ids_first_received as (

        select
            {{ star_except(['received_rank']) }},
            {{ narrow_hash('event_id') }} as event_id_hash,
            {{ load_stamp() }} as dbt_loaded_at
        from repeated_ids_ranked
        where received_rank = 1

    )

    select * from ids_seen_once
    union all
    select * from repeated_ids_first_received
{%- endmacro -%}
