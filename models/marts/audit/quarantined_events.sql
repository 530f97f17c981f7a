{#-
    Every raw event row that failed the contract's checks, with the reason and the whole
    raw row as JSON, so nothing is dropped silently. Quarantined rows count in no feature.
    Incremental like staging (the raw files it has not read: raw_table_since_last_load);
    a row is identified by its table and content.
    Each table's rows are checked first and only the rejected ones are turned into JSON
    (about 1% of the rows: encoding every row read was most of this model's time).
-#}
{{ config(unique_key='quarantine_id', post_hook="{{ record_raw_files_loaded() }}") }}

{%- set tables = [
    'pages', 'tracks', 'identifies', 'product_viewed', 'checkout_started',
    'order_completed', 'email_delivered', 'email_opened', 'email_link_clicked',
    'email_bounced', 'unsubscribed', 'form_submitted', 'content_downloaded',
    'video_content_playing',
] -%}

with

{% for table in tables %}
{{ table }}_read as (

    select
        {{ segment_event_columns() }},
        {{ row_struct('raw_row') }} as raw_struct

    from {{ raw_table_since_last_load('segment', table) }} as raw_row

),

{{ table }}_checked as (

    select
        *,
        {{ quarantine_reason() }} as quarantine_reason

    from {{ table }}_read

),

{{ table }}_rejected as (

    select
        '{{ table }}' as source_table,
        event_id,
        anonymous_id,
        user_id,
        occurred_at,
        received_at,
        quarantine_reason,
        {{ struct_to_json('raw_struct') }} as raw_row

    from {{ table }}_checked
    where quarantine_reason is not null

),

{% endfor %}
unioned as (

    {%- for table in tables %}
    select * from {{ table }}_rejected
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select distinct
        {{ dbt.hash(dbt.concat(['source_table', "'|'", 'raw_row'])) }} as quarantine_id,
        source_table,
        event_id as message_id,
        quarantine_reason,
        occurred_at,
        received_at,
        raw_row

    from unioned

)

select * from final
