{#-
    On an incremental run, a `where` clause keeping rows received since the newest row this
    model already holds, minus var('lookback_days') so late-landing loads are re-read
    (received_cutoff). Rows with no received_at are always re-read (deduplication makes
    that idempotent). Renders nothing on a full build and in unit tests.
-#}
{%- macro received_since_last_load(column='received_at', loaded_column='received_at') -%}
    {%- set cutoff = received_cutoff(var('lookback_days'), loaded_column) -%}
    {%- if cutoff is not none -%}
    where ({{ column }} >= {{ cutoff }} or {{ column }} is null)
    {%- endif -%}
{%- endmacro -%}
