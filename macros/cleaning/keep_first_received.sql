{#-
    Dedupe valid event rows by message id, keeping the earliest received_at, with
    `event_id_hash` (narrow_hash of the id), stamped with this run's load_stamp() as
    `dbt_loaded_at` and written in received_at order (so the
    table's zone maps on received_at let the next run read only its last days).

    A full build ranks only the ids that occur more than once; every other row is kept
    as read, in the raw files' received_at order, so no window or sort runs over all
    history (keep_first_received_full_build). `every_row` is `relation` before its
    validity filter (the same event_id): the full build looks for repeated ids there,
    reading the id column alone.

    On an incremental run (the raw files not read yet: raw_table_since_last_load), a row
    is written only if no loaded row has its id with an earlier-or-equal received_at,
    checked in two steps so the usual run reads little:
    1. against the loaded rows received since dedupe_window_start(): a copy re-sent
       within the last days (or re-read from a rewritten file) is settled by those
       days' rows (zone maps skip the rest of the table);
    2. against all loaded rows, only for the rows step 1 kept (new ids, copies re-sent
       long after the first). When there are none, the full scan does not run. The
       scan reads the narrow event_id_hash column (narrow_hash) to find the few loaded
       rows that may share an id, and compares the ids of those only; a table with
       rows written before that column existed compares every loaded id instead
       (narrow_hash_is_complete).
    A copy received earlier than the loaded one is written, and delete+insert replaces the
    loaded one (duckdb__get_incremental_delete_insert_sql looks for it in the same window).
-#}
{%- macro keep_first_received(relation, every_row) -%}
    {%- if this is none or not is_incremental() -%}
        {{- return(keep_first_received_full_build(relation, every_row)) -}}
    {%- endif -%}
    {%- set window_start = dedupe_window_start() -%}
    {%- set hashed = narrow_hash_is_complete(this, 'event_id_hash') -%}
    with

    not_loaded_recently as (

        select
            candidate.*,
            {{ received_rank('candidate') }} as received_rank
        from {{ relation }} as candidate
        where not exists (
            select 1
            from {{ this }} as loaded
            where
                {%- if window_start is not none %}
                loaded.received_at >= {{ window_start }}
                and
                {%- endif %}
                loaded.event_id = candidate.event_id
                and (loaded.received_at <= candidate.received_at or candidate.received_at is null)
        )

    ),

    first_received as (

        select
            {{ star_except(['received_rank']) }},
            {{ narrow_hash('event_id') }} as event_id_hash
        from not_loaded_recently
        where received_rank = 1

    ),
    {%- if hashed %}

    loaded_with_same_hash as {{ materialized() }} (

        select
            loaded.event_id,
            loaded.received_at
        from {{ this }} as loaded
        where loaded.event_id_hash in (select event_id_hash from first_received)

    ),
    {%- endif %}

    not_loaded as (

        select
            first_received.*,
            {{ load_stamp() }} as dbt_loaded_at
        from first_received
        where not exists (
            select 1
            from {{ 'loaded_with_same_hash' if hashed else this }} as loaded
            where
                loaded.event_id = first_received.event_id
                and (loaded.received_at <= first_received.received_at or first_received.received_at is null)
        )

    )

    select * from not_loaded
    order by received_at
{%- endmacro -%}
