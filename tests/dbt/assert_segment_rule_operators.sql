{#-
    The rule compiler's comparison operators and feature windows on a small inline
    contact_features: each rule must select exactly the expected contacts. Returns the
    (rule, contact) pairs that differ. Operators used by the reference segments are
    covered by their unit tests.
-#}
{%- set cases = [
    ({'feature': 'n', 'gt': 1}, ['b']),
    ({'feature': 'n', 'lte': 1}, ['a']),
    ({'feature': 'n', 'lt': 5}, ['a']),
    ({'feature': 'n', 'ne': 1}, ['b']),
    ({'feature': 'n', 'not_in': [5]}, ['a']),
    ({'feature': 'n', 'is_null': true}, ['c']),
    ({'feature': 'n', 'between': [1, 4]}, ['a']),
    ({'feature': 's', 'in': ['x', 'z']}, ['a']),
    ({'feature': 't', 'within_hours': 2}, ['a']),
    ({'feature': 't', 'within_days': 7}, ['a', 'b']),
    ({'not': {'feature': 'n', 'gte': 5}}, ['a', 'c']),
    ({'any': [{'feature': 'n', 'eq': 1}, {'feature': 's', 'eq': 'y'}]}, ['a', 'b']),
    ({'all': [{'feature': 'n', 'gte': 1}, {'not': {'feature': 's', 'eq': 'y'}}]}, ['a']),
    ({'inactive': {'days': 2}}, ['b', 'c']),
] -%}
{%- set context = {'leaves': [], 'counter': {'n': 0}, 'features_read': [], 'event_columns': []} -%}

with

contact_features as (

    {%- set rows = [('a', 1, "'x'", 1), ('b', 5, "'y'", 72), ('c', none, none, none)] %}
    {%- for contact_id, n, s, hours_ago in rows %}
    {%- set at = hours_before_as_of(hours_ago) if hours_ago else 'null' %}
    select
        '{{ contact_id }}' as contact_id,
        cast({{ n if n is not none else 'null' }} as int) as n,
        cast({{ s or 'null' }} as string) as s,
        cast({{ at }} as timestamp) as t,
        cast({{ at }} as timestamp) as last_action_at
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

selected as (

    {%- for rule, _ in cases %}
    {%- set compiled = compile_segment_rule('operator_test', rule, '', context) %}
    select
        {{ loop.index }} as rule_number,
        contact_features.contact_id
    from contact_features
    where {{ compiled.condition }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

expected as (

    {%- for _, contacts in cases %}
    {%- set outer = loop %}
    {%- for contact in contacts %}
    select
        {{ outer.index }} as rule_number,
        '{{ contact }}' as contact_id
    {%- if not (outer.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}

),

unexpected as (

    select * from selected
    except
    select * from expected

),

missing as (

    select * from expected
    except
    select * from selected

),

differences as (

    select
        *,
        'unexpected' as problem
    from unexpected
    union all
    select
        *,
        'missing' as problem
    from missing

)

select * from differences
