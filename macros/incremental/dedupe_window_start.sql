{#-
    Where keep_first_received settles most re-read rows and where delete+insert looks for
    the rows a re-read copy replaces: received_at from var('lookback_days') before the
    re-read cutoff, i.e. twice the lookback before the newest loaded row. Staging is
    stored in received_at order, so a filter on it reads only the last days' row groups.
    A timestamp literal, or none where received_cutoff is none.
-#}
{%- macro dedupe_window_start() -%}
    {{- return(received_cutoff(2 * (var('lookback_days') | int))) -}}
{%- endmacro -%}
