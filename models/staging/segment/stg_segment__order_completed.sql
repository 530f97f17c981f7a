with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'order_completed') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        order_id,
        cast(revenue as decimal(18, 4)) as order_revenue,
        currency

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
