{#-
    Every raw event row that failed the contract's checks, with the reason and the whole
    raw row as JSON, so nothing is dropped silently. Quarantined rows count in no feature.
    Incremental by received_at like staging; a row is identified by its table and content.
-#}
{{ config(unique_key='quarantine_id') }}

{%- set tables = [
    'pages', 'tracks', 'identifies', 'product_viewed', 'checkout_started',
    'order_completed', 'email_delivered', 'email_opened', 'email_link_clicked',
    'email_bounced', 'unsubscribed', 'form_submitted', 'content_downloaded',
    'video_content_playing',
] -%}

with

{% for table in tables %}
{{ table }} as (

    select
        '{{ table }}' as source_table,
        {{ segment_event_columns() }},
        {{ row_to_json('raw_row') }} as raw_row

    from {{ raw_table('segment', table) }} as raw_row
    {{ received_since_last_load() }}

),

{% endfor %}
unioned as (

    {%- for table in tables %}
    select * from {{ table }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

checked as (

    select
        *,
        {{ quarantine_reason() }} as quarantine_reason

    from unioned

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

    from checked
    where quarantine_reason is not null

)

select * from final
