{#-
    A select of the int_events_unioned rows of the actors in `actors` (a relation or CTE
    with actor_type, actor_id and contact_id), each with its contact_id and `columns`:
    the rows sent with a 'user' actor's user_id, and the rows sent with an 'anonymous'
    actor's anonymous_id and no user_id (int_events_unioned's actor). It joins on those
    stored columns, not on the view's computed actor columns, so DuckDB filters each
    staging table's scan by the join's keys instead of computing every row's actor
    first. `where` is a condition on `events`, applied to both parts.
-#}
{%- macro events_of_actors(actors, columns, where='true') -%}
    {%- for actor_type, key in [('user', 'user_id'), ('anonymous', 'anonymous_id')] %}
    select
        {{ actors }}.contact_id,
        {%- for column in columns %}
        events.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}

    from {{ ref('int_events_unioned') }} as events
    inner join {{ actors }}
        on
            {{ actors }}.actor_type = '{{ actor_type }}'
            and events.{{ key }} = {{ actors }}.actor_id
    where
        {{ where }}
        {%- if actor_type == 'anonymous' %}
        and events.user_id is null
        {%- endif %}
    {%- if loop.first %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro -%}
