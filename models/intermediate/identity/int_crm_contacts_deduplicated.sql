{#-
    One CRM record per normalized email: the most recently updated one (ties: greatest
    crm_contact_id). Records without an email cannot join to a contact and are left out.
-#}
with

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}
    where email is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by email
            order by updated_at desc nulls last, crm_contact_id desc
        ) as update_rank

    from crm_contacts

),

final as (

    select {{ star_except(['update_rank']) }}
    from ranked
    where update_rank = 1

)

select * from final
