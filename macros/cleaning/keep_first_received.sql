{#-
    Dedupe valid event rows by message id, keeping the earliest received_at, stamped with
    this run's load_stamp() as `dbt_loaded_at` and written in received_at order (so the
    table's zone maps on received_at let the next run read only its last days).

    A full build ranks only the ids that occur more than once; every other row is kept
    as read, in the raw files' received_at order, so no window or sort runs over all
    history (keep_first_received_full_build).

    On an incremental run (the re-read days only), a row is written only if no loaded row
    has its id with an earlier-or-equal received_at, checked in two steps so the usual
    run reads little:
    1. against the loaded rows received since dedupe_window_start(): a re-read copy of
       a loaded row, or a re-sent copy within the lookback, is settled by the same days'
       rows (zone maps skip the rest of the table);
    2. against all loaded rows, only for the rows step 1 kept (new ids, copies re-sent
       long after the first). When there are none, the full scan does not run.
    A copy received earlier than the loaded one is written, and delete+insert replaces the
    loaded one (duckdb__get_incremental_delete_insert_sql looks for it in the same window).
-#}
{%- macro keep_first_received(relation) -%}
    {%- if this is none or not is_incremental() -%}
        {{- return(keep_first_received_full_build(relation)) -}}
    {%- endif -%}
    {%- set window_start = dedupe_window_start() -%}
    select
        {{ star_except(['received_rank']) }},
        {{ load_stamp() }} as dbt_loaded_at
    from (
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
    ) as ranked
    where
        received_rank = 1
        and not exists (
            select 1
            from {{ this }} as loaded
            where
                loaded.event_id = ranked.event_id
                and (loaded.received_at <= ranked.received_at or ranked.received_at is null)
        )
    order by received_at
{%- endmacro -%}
