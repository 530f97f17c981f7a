{#- The rank of a row among the rows of its message id: 1 for the earliest received_at
    (no received_at ranks last), then the earliest occurred_at. -#}
{%- macro received_rank(alias) -%}
    row_number() over (
        partition by {{ alias }}.event_id
        order by {{ alias }}.received_at asc nulls last, {{ alias }}.occurred_at asc
    )
{%- endmacro -%}
