with

source as {{ not_materialized() }} (

    select * from {{ raw_table_since_last_load('segment', 'pages') }}

),

renamed as {{ not_materialized() }} (

    select
        {{ segment_event_columns() }},
        path as page_path,
        url as page_url,
        title as page_title,
        referrer,
        context_campaign_source as utm_source,
        context_campaign_medium as utm_medium,
        context_campaign_name as utm_campaign

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
