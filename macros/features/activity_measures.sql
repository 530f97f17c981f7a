{#-
    The behavioural measures rolled up per actor and day, in one list so that the daily
    rollup, the per-contact combine and the windowed features stay in step. Each has:
      name      column name
      expr      aggregate over int_events_unioned rows of one actor and day
      combine   how day rows combine: sum | max | min | latest:<timestamp column>
      cast_to   (sums) the type a combined sum is cast back to: a count stays a 32-bit
                integer, as its daily count is (DuckDB's sum of integers is a 128-bit
                hugeint, which Arrow, and the BI tools reading through it, receive as
                decimal128(38, 0)). A contact's count never nears 2^31 (a sum past it fails
                the build at the cast), and DuckDB compresses a 4-byte column's writes in
                less time than an 8-byte one's (docs/benchmarks.md, "sixteenth run")
      windowed  true: contact_features has <name>_<N>d for every window
      lifetime  true: contact_features also has <name>_lifetime (windowed measures) or
                <name> itself (others)
-#}
{%- macro activity_measures() -%}
    {%- set measures = [
        _count_measure('user_actions', 'is_user_action', lifetime=true),
        _count_measure('page_views', "source_table = 'pages'"),
    ] -%}
    {%- for category in var('page_categories') -%}
        {%- do measures.append(_count_measure(
            category ~ '_page_views',
            "source_table = 'pages' and page_category = '" ~ category ~ "'"
        )) -%}
    {%- endfor -%}
    {%- do measures.extend([
        _count_measure('product_views', "source_table = 'product_viewed'"),
        _count_measure('checkouts', "source_table = 'checkout_started'"),
        _count_measure('orders', "source_table = 'order_completed'", lifetime=true),
        {
            'name': 'revenue',
            'expr': "sum(case when source_table = 'order_completed' then order_revenue end)",
            'combine': 'sum', 'windowed': true, 'lifetime': true,
        },
        _count_measure('email_deliveries', "source_table = 'email_delivered'"),
        _count_measure('email_opens', "source_table = 'email_opened'"),
        _count_measure('email_clicks', "source_table = 'email_link_clicked'"),
        _count_measure('form_submissions', "source_table = 'form_submitted'"),
        _count_measure('content_downloads', "source_table = 'content_downloaded'"),
        {
            'name': 'max_video_watch_ratio',
            'expr': "max(case when source_table = 'video_content_playing' then video_watch_ratio end)",
            'combine': 'max', 'windowed': true, 'lifetime': false,
        },
        _at_measure('first_seen_at', 'min', 'true'),
        _at_measure('last_seen_at', 'max', 'true'),
        _at_measure('last_action_at', 'max', 'is_user_action'),
        {
            'name': 'last_action_name',
            'expr': arg_max('event_name', ['occurred_at', 'event_name'], where='is_user_action'),
            'combine': 'latest:last_action_at', 'windowed': false, 'lifetime': true,
        },
        _at_measure('last_checkout_at', 'max', "source_table = 'checkout_started'"),
        _at_measure('last_order_at', 'max', "source_table = 'order_completed'"),
        _at_measure('last_form_submitted_at', 'max', "source_table = 'form_submitted'"),
        _at_measure(
            'first_hard_bounce_at', 'min',
            "source_table = 'email_bounced' and bounce_type = 'hard'"
        ),
        _at_measure('first_unsubscribed_at', 'min', "source_table = 'unsubscribed'"),
    ]) -%}
    {{- return(measures) -}}
{%- endmacro -%}

{%- macro _count_measure(name, condition, lifetime=false) -%}
    {{- return({
        'name': name,
        'expr': 'cast(count(case when ' ~ condition ~ ' then 1 end) as integer)',
        'combine': 'sum', 'cast_to': 'integer', 'windowed': true, 'lifetime': lifetime,
    }) -}}
{%- endmacro -%}

{%- macro _at_measure(name, aggregate, condition) -%}
    {{- return({
        'name': name,
        'expr': aggregate ~ '(case when ' ~ condition ~ ' then occurred_at end)',
        'combine': aggregate, 'windowed': false, 'lifetime': true,
    }) -}}
{%- endmacro -%}
