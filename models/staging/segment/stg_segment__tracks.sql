with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'tracks') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        event as event_name,
        event_text

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
