{#-
    Which rows of int_events_resolved_to_contacts are "event X": page_viewed reads pages,
    identify reads identifies, a track event with a table of its own reads that table
    (it carries the properties), any other track event reads tracks by event name.
-#}
{%- macro segment_event_source(event_name) -%}
    {%- set own_tables = [
        'product_viewed', 'checkout_started', 'order_completed', 'email_delivered',
        'email_opened', 'email_link_clicked', 'email_bounced', 'unsubscribed',
        'form_submitted', 'content_downloaded', 'video_content_playing',
    ] -%}
    {%- if event_name == 'page_viewed' -%}
        source_table = 'pages'
    {%- elif event_name == 'identify' -%}
        source_table = 'identifies'
    {%- elif event_name in own_tables -%}
        source_table = '{{ event_name }}'
    {%- else -%}
        (source_table = 'tracks' and event_name = {{ sql_literal(event_name) }})
    {%- endif -%}
{%- endmacro -%}
