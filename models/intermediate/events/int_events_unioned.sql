{#-
    Every valid event row of every staging table in one long shape: the common columns,
    what kind of row it is, and the properties the features need (null where a table has
    none). The actor is who the row belongs to before identity resolution: its user_id when
    it has one, else its anonymous_id. Track events appear twice, as in the raw layout: once from `tracks` (where
    is_user_action is decided) and once from their own table (which adds properties).
-#}
{%- set property_types = {
    'page_path': 'string',
    'page_category': 'string',
    'referrer': 'string',
    'utm_source': 'string',
    'utm_medium': 'string',
    'utm_campaign': 'string',
    'campaign_id': 'string',
    'email_id': 'string',
    'link_url': 'string',
    'bounce_type': 'string',
    'product_id': 'string',
    'product_category': 'string',
    'order_id': 'string',
    'checkout_value': 'decimal(18, 4)',
    'order_revenue': 'decimal(18, 4)',
    'form_id': 'string',
    'form_name': 'string',
    'content_id': 'string',
    'content_type': 'string',
    'content_topic': 'string',
    'video_id': 'string',
    'video_watch_ratio': 'double',
    'email': 'string',
    'first_name': 'string',
    'last_name': 'string',
    'phone': 'string',
    'company_name': 'string',
    'job_title': 'string',
    'country': 'string',
} -%}
{%- set not_actions = "('email_delivered', 'email_bounced')" -%}
{%- set tables = {
    'pages': {
        'event_name': "'page_viewed'",
        'is_user_action': 'true',
        'page_path': 'page_path',
        'page_category': page_category('page_path'),
        'referrer': 'referrer',
        'utm_source': 'utm_source',
        'utm_medium': 'utm_medium',
        'utm_campaign': 'utm_campaign',
    },
    'tracks': {
        'event_name': 'event_name',
        'is_user_action': "coalesce(event_name, '') not in " ~ not_actions,
    },
    'identifies': {
        'event_name': "'identify'",
        'email': 'email',
        'first_name': 'first_name',
        'last_name': 'last_name',
        'phone': 'phone',
        'company_name': 'company_name',
        'job_title': 'job_title',
        'country': 'country',
    },
    'product_viewed': {'product_id': 'product_id', 'product_category': 'product_category'},
    'checkout_started': {'order_id': 'order_id', 'checkout_value': 'checkout_value'},
    'order_completed': {'order_id': 'order_id', 'order_revenue': 'order_revenue'},
    'email_delivered': {'campaign_id': 'campaign_id', 'email_id': 'email_id'},
    'email_opened': {'campaign_id': 'campaign_id', 'email_id': 'email_id'},
    'email_link_clicked': {
        'campaign_id': 'campaign_id', 'email_id': 'email_id', 'link_url': 'link_url',
    },
    'email_bounced': {
        'campaign_id': 'campaign_id', 'email_id': 'email_id', 'bounce_type': 'bounce_type',
    },
    'unsubscribed': {'campaign_id': 'campaign_id'},
    'form_submitted': {'form_id': 'form_id', 'form_name': 'form_name'},
    'content_downloaded': {
        'content_id': 'content_id', 'content_type': 'content_type', 'content_topic': 'content_topic',
    },
    'video_content_playing': {
        'video_id': 'video_id',
        'video_watch_ratio':
            'case when video_length_seconds > 0'
            ~ ' then video_position_seconds / video_length_seconds end',
    },
} -%}

with

{% for table in tables %}
{{ table }} as (

    select * from {{ ref('stg_segment__' ~ table) }}

),

{% endfor %}
unioned as (

    {%- for table, columns in tables.items() %}

    select
        event_id,
        '{{ table }}' as source_table,
        {{ columns.get('event_name', "'" ~ table ~ "'") }} as event_name,
        anonymous_id,
        user_id,
        occurred_at,
        received_at,
        dbt_loaded_at,
        {{ columns.get('is_user_action', 'false') }} as is_user_action,
        {%- for property, data_type in property_types.items() %}
        {{ columns.get(property, 'cast(null as ' ~ data_type ~ ')') }} as {{ property }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from {{ table }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

with_actor as (

    select
        *,
        cast(occurred_at as date) as occurred_on,
        coalesce(user_id, anonymous_id) as actor_id,
        case when user_id is not null then 'user' else 'anonymous' end as actor_type

    from unioned

),

final as (

    select * from with_actor

)

select * from final
