with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'email_opened') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        campaign_id,
        email_id

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
