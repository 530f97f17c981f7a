{#-
    Where keep_first_received settles most copies of loaded rows: received_at twice
    var('lookback_days') before the newest loaded row. Staging is
    stored in received_at order, so a filter on it reads only the last days' row groups.
    A timestamp literal, or none where received_cutoff is none.
-#}
{%- macro dedupe_window_start() -%}
    {{- return(received_cutoff(2 * (var('lookback_days') | int))) -}}
{%- endmacro -%}
