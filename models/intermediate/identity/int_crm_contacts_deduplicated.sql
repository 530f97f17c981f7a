{#-
    One CRM record per normalized email: the most recently updated one (ties: greatest
    crm_contact_id).
-#}
with

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

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
