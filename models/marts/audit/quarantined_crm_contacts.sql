{#-
    CRM export rows that cannot be used, with the reason and the raw row as JSON: no
    crm_contact_id, or no email to join a contact by. Rebuilt whole each run (a CRM
    export is a snapshot, not an event stream). Older versions of a record with the same
    email are not quarantined: int_crm_contacts_deduplicated keeps the newest.
-#}
{{ config(materialized='table') }}

with

source as (

    select
        {{ row_to_json('raw_row') }} as raw_json,
        nullif(cast(crm_contact_id as string), '') as crm_contact_id,
        {{ normalize_email('email') }} as email

    from {{ raw_table('crm', 'crm_contacts') }} as raw_row

),

checked as (

    select
        *,
        case
            when crm_contact_id is null then 'missing_crm_contact_id'
            when email is null then 'missing_email'
        end as quarantine_reason

    from source

),

final as (

    select
        crm_contact_id,
        quarantine_reason,
        raw_json as raw_row

    from checked
    where quarantine_reason is not null

)

select * from final
