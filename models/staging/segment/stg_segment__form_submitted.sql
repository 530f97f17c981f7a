with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'form_submitted') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        form_id,
        form_name

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
