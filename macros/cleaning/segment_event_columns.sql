{#-
    The columns every Segment event table shares, renamed and cast. Empty-string ids are
    treated as missing (null), so they neither link identities nor escape quarantine.
-#}
{%- macro segment_event_columns() -%}
        nullif(id, '') as event_id,
        nullif(anonymous_id, '') as anonymous_id,
        nullif(user_id, '') as user_id,
        cast({{ adapter.quote('timestamp') }} as timestamp) as occurred_at,
        cast(received_at as timestamp) as received_at
{%- endmacro -%}
