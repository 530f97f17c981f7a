{#-
    The last CTEs of a model that keeps per-contact state at as_of and, moving forward,
    recomputes only `contacts_to_recompute` (contact_events_to_recompute_ctes; every
    contact when recompute_changed_contacts_since() is none). `computed` names the CTE with the recomputed rows;
    `has_rows` a CTE with a contact_id for each contact that still has some. A stored
    contact recomputed with none is written back as one row of `emptied_columns` (a list
    of [name, expression] after contact_id), since delete+insert only replaces the keys it
    writes. The last CTE, final, stamps each row with the as_of it was computed at
    (evaluated_as_of, read back by previous_as_of()) and the load stamp.
-#}
{%- macro recomputed_contacts_written_ctes(computed, has_rows, emptied_columns) -%}
{%- set is_delta = recompute_changed_contacts_since() is not none -%}
{%- if is_incremental() %}
stored_contacts as (

    select distinct contact_id
    from {{ this }}
    {%- if is_delta %}
    where contact_id in (select contact_id from contacts_to_recompute)
    {%- endif %}

),

emptied as (

    select
        stored_contacts.contact_id,
        {%- for name, expression in emptied_columns %}
        {{ expression }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}

    from stored_contacts
    where not exists (
        select 1
        from {{ has_rows }}
        where {{ has_rows }}.contact_id = stored_contacts.contact_id
    )

),

rows_written as (

    select * from {{ computed }}
    union all
    select * from emptied

),
{%- else %}
rows_written as (

    select * from {{ computed }}

),
{%- endif %}

final as (

    select
        *,
        {{ as_of() }} as evaluated_as_of,
        {{ load_stamp() }} as dbt_loaded_at

    from rows_written

)
{%- endmacro -%}
