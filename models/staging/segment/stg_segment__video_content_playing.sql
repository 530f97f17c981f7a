with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'video_content_playing') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        video_id,
        position as video_position_seconds,
        total_length as video_length_seconds

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
