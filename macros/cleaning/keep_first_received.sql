{#-
    Dedupe valid event rows by message id, keeping the earliest received_at. On an
    incremental run, rows whose id is already loaded with an earlier-or-equal received_at
    are dropped first, so only new ids (or earlier copies of loaded ids) are written, each
    stamped with this run's load_stamp() as `dbt_loaded_at`.
-#}
{%- macro keep_first_received(relation) -%}
    select
        {{ star_except(['received_rank']) }},
        {{ load_stamp() }} as dbt_loaded_at
    from (
        select
            candidate.*,
            row_number() over (
                partition by candidate.event_id
                order by candidate.received_at asc nulls last, candidate.occurred_at asc
            ) as received_rank
        from {{ relation }} as candidate
        {%- if this is not none and is_incremental() %}
        where not exists (
            select 1
            from {{ this }} as loaded
            where
                loaded.event_id = candidate.event_id
                and (loaded.received_at <= candidate.received_at or candidate.received_at is null)
        )
        {%- endif %}
    ) as ranked
    where received_rank = 1
{%- endmacro -%}
