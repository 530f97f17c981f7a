{#- True when `column` lies in the N UTC calendar days ending with as_of's day, up to as_of. -#}
{%- macro in_last_n_days(column, days) -%}
    ({{ column }} >= {{ window_start(days) }} and {{ column }} <= {{ as_of() }})
{%- endmacro -%}
