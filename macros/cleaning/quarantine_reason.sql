{#-
    Why an event row is quarantined (null when it is valid), over the columns of
    segment_event_columns(). The rules are the contract's, checked in this order.
-#}
{%- macro quarantine_reason() -%}
    case
        when event_id is null then 'missing_message_id'
        when anonymous_id is null and user_id is null then 'missing_identity'
        when occurred_at is null then 'missing_timestamp'
        when occurred_at > {{ dbt.dateadd('day', 1, 'received_at') }}
            then 'timestamp_more_than_1_day_after_received_at'
    end
{%- endmacro -%}
