{#- Every segment's members at as_of in one table: the models listed in var('segments'). -#}
{%- do segment_catalog() -%}

with

{% for name in var('segments') %}
{{ name }} as (

    select
        '{{ name }}' as segment_name,
        contact_id,
        reason

    from {{ ref(name) }}

),

{% endfor %}
unioned as (

    {%- for name in var('segments') %}
    select * from {{ name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        *,
        {{ as_of() }} as as_of

    from unioned

)

select * from final
