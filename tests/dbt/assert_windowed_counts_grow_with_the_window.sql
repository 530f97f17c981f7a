{#-
    A longer window contains a shorter one, so every windowed count (and session count)
    must not shrink as the window grows, and the longest window cannot exceed lifetime
    where a lifetime total exists. Returns the offending contacts.
-#}
{%- set windows = var('feature_windows_days') | sort -%}
{%- set counted = activity_measures() | selectattr('windowed')
    | selectattr('combine', 'equalto', 'sum') | list -%}
{%- set checks = [] -%}
{%- for name in (counted | map(attribute='name') | list) + ['sessions'] -%}
{%- for days in windows[1:] -%}
{%- do checks.append(name ~ '_' ~ windows[loop.index0] ~ 'd > ' ~ name ~ '_' ~ days ~ 'd') -%}
{%- endfor -%}
{%- endfor -%}
{%- for measure in counted if measure.lifetime -%}
{%- do checks.append(measure.name ~ '_' ~ windows[-1] ~ 'd > ' ~ measure.name ~ '_lifetime') -%}
{%- endfor -%}

with

contact_features as (

    select * from {{ ref('contact_features') }}

),

violations as (

    select contact_id
    from contact_features
    where
        false
        {%- for check in checks %}
        or {{ check }}
        {%- endfor %}

)

select * from violations
