with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'content_downloaded') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        content_id,
        content_type,
        topic as content_topic

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
