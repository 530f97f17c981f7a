with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'identifies') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        {{ normalize_email('email') }} as email,
        first_name,
        last_name,
        phone,
        company_name,
        job_title,
        country

    from source

),

valid as (

    select * from renamed
    where {{ quarantine_reason() }} is null

),

final as (

    {{ keep_first_received('valid', every_row='renamed') }}

)

select * from final
