with

source as (

    select * from {{ raw_table('crm', 'crm_contacts') }}

),

renamed as (

    select
        nullif(cast(crm_contact_id as string), '') as crm_contact_id,
        {{ normalize_email('email') }} as email,
        lifecycle_stage,
        company_name,
        industry,
        cast(employee_count as int) as employee_count,
        country,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at

    from source

),

usable as (

    select * from renamed
    where crm_contact_id is not null and email is not null

),

final as (

    select * from usable

)

select * from final
