with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'product_viewed') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        product_id,
        category as product_category,
        name as product_name,
        cast(price as decimal(18, 4)) as product_price

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
