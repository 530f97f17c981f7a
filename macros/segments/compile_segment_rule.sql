{#-
    Compile one rule node of a segment into SQL evaluated per row of contact_features.
    Returns {'condition': sql, 'reason': sql, 'description': text, 'anchored': bool,
    'reads_contact_features': bool} and appends to
    context.leaves the per-contact relations the condition needs, as
    {'alias', 'relation', 'sql' (the CTE body, or none when relation is another model)}:
    each is left-joined on contact_id and holds (contact_id, reason). `anchored`: the
    condition can hold only for a contact in one of those relations (events,
    did_not_follow and in_segment are; all when one of its rules is, any when each is;
    feature, inactive and not are not). `reads_contact_features`: a feature or inactive
    rule is in it. Each feature rule appends {'column', 'path'} to context.features_read.

    Rule nodes (exactly one kind per node; README, "Segments as code"):
      feature: <contact_features column>  + comparisons, or within_days / within_hours
                                            for timestamp features
      events: {event, where, within_days | within_hours, group_by,
               count_distinct | max | min | sum: <column>, + comparisons (default gte 1)}
      did_not_follow: {event, where, within_days, min_hours_ago, followed_by, followed_by_where}
      inactive: {days: N}                  no user action in the last N days
      in_segment: <segment name>
      all: [rules]    any: [rules]    not: rule
-#}
{%- macro compile_segment_rule(segment_name, node, path, context) -%}
    {%- if node is not mapping -%}
        {{ segment_error(segment_name, path, 'a rule must be a mapping, got ' ~ node) }}
    {%- endif -%}
    {%- set kinds = ['feature', 'events', 'did_not_follow', 'inactive', 'in_segment', 'all', 'any', 'not'] -%}
    {%- set present = [] -%}
    {%- for key in node -%}{%- if key in kinds -%}{%- do present.append(key) -%}{%- endif -%}{%- endfor -%}
    {%- if present | length != 1 -%}
        {{ segment_error(segment_name, path,
            'a rule node needs exactly one of ' ~ kinds | join(', ') ~ '; got keys ' ~ node.keys() | list) }}
    {%- endif -%}
    {%- set kind = present[0] -%}
    {%- set compilers = {
        'feature': compile_feature_rule, 'events': compile_events_rule,
        'did_not_follow': compile_did_not_follow_rule, 'inactive': compile_inactive_rule,
        'in_segment': compile_in_segment_rule, 'all': compile_all_rule,
        'any': compile_any_rule, 'not': compile_not_rule,
    } -%}
    {{- return(compilers[kind](segment_name, node, path ~ ('.' if path else '') ~ kind, context)) -}}
{%- endmacro -%}

{%- macro _check_keys(segment_name, node, path, allowed) -%}
    {%- for key in node -%}
        {%- if key not in allowed -%}
            {{ segment_error(segment_name, path, "unknown key '" ~ key ~ "'; allowed: " ~ allowed | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro -%}

{%- macro _positive_number(segment_name, path, key, value) -%}
    {%- if value is not number or value <= 0 -%}
        {{ segment_error(segment_name, path, key ~ ' must be a positive number, got ' ~ value) }}
    {%- endif -%}
{%- endmacro -%}

{%- macro _new_alias(segment_name, context) -%}
    {%- do context.counter.update({'n': context.counter.n + 1}) -%}
    {{- return(segment_name ~ '__' ~ context.counter.n) -}}
{%- endmacro -%}

{%- macro compile_feature_rule(segment_name, node, path, context) -%}
    {%- set comparisons = ['gte', 'gt', 'lte', 'lt', 'eq', 'ne', 'in', 'not_in', 'between', 'is_null'] -%}
    {{- _check_keys(segment_name, node, path, ['feature', 'within_days', 'within_hours'] + comparisons) -}}
    {%- set column = node.feature -%}
    {#- checked against contact_features' columns by segment(), once the rule is known to read them -#}
    {%- do context.features_read.append({'column': column, 'path': path}) -%}
    {%- set expression = 'contact_features.' ~ column -%}
    {%- set parts = [] -%}
    {%- set comparison = segment_comparison(expression, node, segment_name, path) -%}
    {%- if comparison is not none -%}{%- do parts.append(comparison) -%}{%- endif -%}
    {%- if node.within_days is defined -%}
        {{- _positive_number(segment_name, path, 'within_days', node.within_days) -}}
        {%- do parts.append(in_last_n_days(expression, node.within_days)) -%}
    {%- endif -%}
    {%- if node.within_hours is defined -%}
        {{- _positive_number(segment_name, path, 'within_hours', node.within_hours) -}}
        {%- do parts.append(in_last_n_hours(expression, node.within_hours)) -%}
    {%- endif -%}
    {%- if not parts -%}
        {{ segment_error(segment_name, path, 'feature ' ~ column ~ ' needs a comparison (gte, eq, in, ...) or within_days') }}
    {%- endif -%}
    {%- set description = node.items() | rejectattr(0, 'equalto', 'feature') | map('join', '=') | join(', ') -%}
    {{- return({
        'condition': '(' ~ parts | join(' and ') ~ ')',
        'reason': "concat('" ~ column ~ "=', coalesce(cast(" ~ expression ~ " as string), 'null'))",
        'description': column ~ ' ' ~ description,
        'anchored': false,
        'reads_contact_features': true,
    }) -}}
{%- endmacro -%}

{%- macro _event_rows(segment_name, spec, path, context, where_key='where', event_key='event') -%}
    {%- if spec[event_key] is not string -%}
        {{ segment_error(segment_name, path, event_key ~ ' must name an event, e.g. order_completed') }}
    {%- endif -%}
    {%- set filters = [segment_event_source(spec[event_key])] -%}
    {%- for column, test in (spec.get(where_key) or {}).items() -%}
        {%- if context.event_columns and column not in context.event_columns -%}
            {{ segment_error(segment_name, path ~ '.' ~ where_key,
                "unknown event property '" ~ column ~ "'; known: " ~ context.event_columns | sort | join(', ')) }}
        {%- endif -%}
        {%- set test = test if test is mapping else {'eq': test} -%}
        {%- if test.starts_with is defined -%}
            {%- set prefix = test.starts_with | string -%}
            {%- do filters.append("substring(" ~ column ~ ", 1, " ~ prefix | length ~ ") = " ~ sql_literal(prefix)) -%}
        {%- endif -%}
        {%- if test.path_prefix is defined -%}
            {%- set prefix = test.path_prefix | string -%}
            {%- do filters.append("(" ~ column ~ " = " ~ sql_literal(prefix) ~ " or substring(" ~ column ~ ", 1, "
                ~ (prefix | length + 1) ~ ") = " ~ sql_literal(prefix ~ '/') ~ ")") -%}
        {%- endif -%}
        {%- set comparison = segment_comparison(column, test, segment_name, path ~ '.' ~ where_key ~ '.' ~ column) -%}
        {%- if comparison is not none -%}{%- do filters.append(comparison) -%}{%- endif -%}
        {%- if comparison is none and test.starts_with is not defined and test.path_prefix is not defined -%}
            {{ segment_error(segment_name, path ~ '.' ~ where_key ~ '.' ~ column,
                'a property filter needs a value or one of eq, in, gte, ..., starts_with, path_prefix') }}
        {%- endif -%}
    {%- endfor -%}
    {{- return(filters | join(' and ')) -}}
{%- endmacro -%}

{%- macro _event_window(segment_name, spec, path) -%}
    {%- if spec.within_days is defined and spec.within_hours is defined -%}
        {{ segment_error(segment_name, path, 'use within_days or within_hours, not both') }}
    {%- elif spec.within_days is defined -%}
        {{- _positive_number(segment_name, path, 'within_days', spec.within_days) -}}
        {{- return(in_last_n_days('occurred_at', spec.within_days)) -}}
    {%- elif spec.within_hours is defined -%}
        {{- _positive_number(segment_name, path, 'within_hours', spec.within_hours) -}}
        {{- return(in_last_n_hours('occurred_at', spec.within_hours)) -}}
    {%- endif -%}
    {{- return('true') -}}
{%- endmacro -%}

{%- macro compile_events_rule(segment_name, node, path, context) -%}
    {%- set comparisons = ['gte', 'gt', 'lte', 'lt', 'eq', 'ne', 'in', 'not_in', 'between'] -%}
    {%- set aggregates = ['count_distinct', 'max', 'min', 'sum'] -%}
    {{- _check_keys(segment_name, node, path, ['events']) -}}
    {%- set spec = node.events -%}
    {%- if spec is not mapping -%}
        {{ segment_error(segment_name, path, 'events needs a mapping with at least event:') }}
    {%- endif -%}
    {{- _check_keys(segment_name, spec, path,
        ['event', 'where', 'within_days', 'within_hours', 'group_by'] + aggregates + comparisons) -}}
    {%- set chosen = [] -%}
    {%- for key in aggregates -%}{%- if key in spec -%}{%- do chosen.append(key) -%}{%- endif -%}{%- endfor -%}
    {%- if chosen | length > 1 -%}
        {{ segment_error(segment_name, path, 'use one aggregate of ' ~ aggregates | join(', ')) }}
    {%- endif -%}
    {%- if chosen -%}
        {%- set measured = spec[chosen[0]] -%}
        {%- if context.event_columns and measured not in context.event_columns -%}
            {{ segment_error(segment_name, path, "unknown event property '" ~ measured ~ "' in " ~ chosen[0]) }}
        {%- endif -%}
        {%- set value_sql = ('count(distinct ' ~ measured ~ ')') if chosen[0] == 'count_distinct'
            else chosen[0] ~ '(' ~ measured ~ ')' -%}
        {%- set value_name = chosen[0] ~ '(' ~ measured ~ ')' -%}
    {%- else -%}
        {%- set value_sql = 'count(*)' -%}
        {%- set value_name = 'count' -%}
    {%- endif -%}
    {%- set test = {} -%}
    {%- for key in comparisons -%}{%- if key in spec -%}{%- do test.update({key: spec[key]}) -%}{%- endif -%}{%- endfor -%}
    {%- if not test -%}{%- do test.update({'gte': 1}) -%}{%- endif -%}
    {#- An events rule selects contacts that did something; "fewer than N" would silently
        miss contacts with no such event at all, so it must be written as a not: -#}
    {%- if (test.lt is defined or test.lte is defined or test.eq == 0 or test.ne is defined
            or test.not_in is defined) and value_name in ['count', 'count_distinct(' ~ spec.get('count_distinct') ~ ')'] -%}
        {{ segment_error(segment_name, path,
            'an events rule matches contacts that have such events; for "fewer than N" write not: {events: {..., gte: N}}') }}
    {%- endif -%}
    {%- set group_by = spec.get('group_by') or [] -%}
    {%- set group_by = [group_by] if group_by is string else group_by -%}
    {%- for column in group_by -%}
        {%- if context.event_columns and column not in context.event_columns -%}
            {{ segment_error(segment_name, path, "unknown event property '" ~ column ~ "' in group_by") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set alias = _new_alias(segment_name, context) -%}
    {%- set group_reason = [] -%}
    {%- for column in group_by -%}
        {%- do group_reason.append("', " ~ column ~ "=', coalesce(cast(" ~ column ~ " as string), 'null')") -%}
    {%- endfor -%}
    {%- set reason = "concat('" ~ spec.event ~ " " ~ value_name ~ "=', cast(event_value as string)"
        ~ (', ' ~ group_reason | join(', ') if group_reason else '') ~ ")" -%}
    {%- set sql -%}
        select
            contact_id,
            {{ arg_max('group_reason', ['event_value', 'group_reason']) }} as reason
        from (
            select
                contact_id,
                {{ value_sql }} as event_value,
                {{ reason | replace('event_value', value_sql) }} as group_reason
            from {{ context.events }} as events
            where {{ _event_rows(segment_name, spec, path, context) }} and {{ _event_window(segment_name, spec, path) }}
            group by contact_id{{ (', ' ~ group_by | join(', ')) if group_by else '' }}
            having {{ segment_comparison(value_sql, test, segment_name, path) }}
        ) as qualifying_groups
        group by contact_id
    {%- endset -%}
    {%- do context.leaves.append({'alias': alias, 'relation': alias, 'sql': sql}) -%}
    {{- return({
        'condition': alias ~ '.contact_id is not null',
        'reason': alias ~ '.reason',
        'description': spec.event ~ ' ' ~ value_name ~ ' ' ~ test,
        'anchored': true,
        'reads_contact_features': false,
    }) -}}
{%- endmacro -%}

{%- macro compile_did_not_follow_rule(segment_name, node, path, context) -%}
    {{- _check_keys(segment_name, node, path, ['did_not_follow']) -}}
    {%- set spec = node.did_not_follow -%}
    {%- if spec is not mapping or spec.event is not defined or spec.followed_by is not defined -%}
        {{ segment_error(segment_name, path, 'did_not_follow needs event: and followed_by:') }}
    {%- endif -%}
    {{- _check_keys(segment_name, spec, path,
        ['event', 'where', 'within_days', 'within_hours', 'min_hours_ago', 'followed_by', 'followed_by_where']) -}}
    {%- set alias = _new_alias(segment_name, context) -%}
    {#- The most recent X at or before as_of is in the window exactly when some X is, and
        then it is the most recent X of the window: only the window's events are read (a
        Y at or after it is in the window too). -#}
    {%- set window = _event_window(segment_name, spec, path) -%}
    {%- set min_age = 'true' -%}
    {%- if spec.min_hours_ago is defined -%}
        {{- _positive_number(segment_name, path, 'min_hours_ago', spec.min_hours_ago) -}}
        {%- set min_age = 'last_event.last_at <= ' ~ hours_before_as_of(spec.min_hours_ago) -%}
    {%- endif -%}
    {%- set sql -%}
        select
            last_event.contact_id,
            concat('{{ spec.event }} at ', cast(last_event.last_at as string),
                ', no {{ spec.followed_by }} since') as reason
        from (
            select contact_id, max(occurred_at) as last_at
            from {{ context.events }} as events
            where {{ _event_rows(segment_name, spec, path, context) }} and {{ window }}
            group by contact_id
        ) as last_event
        where
            {{ min_age }}
            and not exists (
                select 1
                from {{ context.events }} as follow_up
                where
                    follow_up.contact_id = last_event.contact_id
                    and follow_up.occurred_at >= last_event.last_at
                    and {{ window | replace('occurred_at', 'follow_up.occurred_at') }}
                    and {{ _event_rows(segment_name, spec, path, context,
                        where_key='followed_by_where', event_key='followed_by') }}
            )
    {%- endset -%}
    {%- do context.leaves.append({'alias': alias, 'relation': alias, 'sql': sql}) -%}
    {{- return({
        'condition': alias ~ '.contact_id is not null',
        'reason': alias ~ '.reason',
        'description': 'last ' ~ spec.event ~ ' not followed by ' ~ spec.followed_by,
        'anchored': true,
        'reads_contact_features': false,
    }) -}}
{%- endmacro -%}

{%- macro compile_inactive_rule(segment_name, node, path, context) -%}
    {{- _check_keys(segment_name, node, path, ['inactive']) -}}
    {%- set days = node.inactive.days if node.inactive is mapping else none -%}
    {{- _positive_number(segment_name, path, 'inactive.days', days) -}}
    {%- set column = 'contact_features.last_action_at' -%}
    {{- return({
        'condition': 'not coalesce(' ~ in_last_n_days(column, days) ~ ', false)',
        'reason': "concat('no user action in " ~ days ~ " days; last: ', coalesce(cast("
            ~ column ~ " as string), 'never'))",
        'description': 'inactive ' ~ days ~ ' days',
        'anchored': false,
        'reads_contact_features': true,
    }) -}}
{%- endmacro -%}

{%- macro compile_in_segment_rule(segment_name, node, path, context) -%}
    {{- _check_keys(segment_name, node, path, ['in_segment']) -}}
    {%- set other = node.in_segment -%}
    {%- if other not in var('segments') -%}
        {{ segment_error(segment_name, path, "unknown segment '" ~ other ~ "': not in var('segments')") }}
    {%- endif -%}
    {%- if other == segment_name -%}
        {{ segment_error(segment_name, path, 'a segment cannot include itself') }}
    {%- endif -%}
    {%- set alias = _new_alias(segment_name, context) -%}
    {%- do context.leaves.append({'alias': alias, 'relation': ref(other), 'sql': none}) -%}
    {{- return({
        'condition': alias ~ '.contact_id is not null',
        'reason': "'in " ~ other ~ "'",
        'description': 'in ' ~ other,
        'anchored': true,
        'reads_contact_features': false,
    }) -}}
{%- endmacro -%}

{%- macro compile_all_rule(segment_name, node, path, context) -%}
    {{- return(_compile_combination(segment_name, node, path, context, 'all')) -}}
{%- endmacro -%}

{%- macro compile_any_rule(segment_name, node, path, context) -%}
    {{- return(_compile_combination(segment_name, node, path, context, 'any')) -}}
{%- endmacro -%}

{%- macro _compile_combination(segment_name, node, path, context, kind) -%}
    {{- _check_keys(segment_name, node, path, [kind]) -}}
    {%- set children = node[kind] -%}
    {%- if children is string or children is mapping or children is not iterable or children | length == 0 -%}
        {{ segment_error(segment_name, path, kind ~ ' needs a non-empty list of rules') }}
    {%- endif -%}
    {%- set compiled = [] -%}
    {%- for child in children -%}
        {%- do compiled.append(compile_segment_rule(segment_name, child, path ~ '[' ~ loop.index0 ~ ']', context)) -%}
    {%- endfor -%}
    {%- set conditions = compiled | map(attribute='condition') | list -%}
    {%- if kind == 'all' -%}
        {%- set reasons = compiled | map(attribute='reason') | list -%}
    {%- else -%}
        {%- set reasons = [] -%}
        {%- for child in compiled -%}
            {%- do reasons.append('case when ' ~ child.condition ~ ' then ' ~ child.reason ~ ' end') -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return({
        'condition': '(' ~ conditions | join(' and ' if kind == 'all' else ' or ') ~ ')',
        'reason': "concat_ws('; ', " ~ reasons | join(', ') ~ ")",
        'description': kind ~ '(' ~ compiled | map(attribute='description') | join('; ') ~ ')',
        'anchored': (compiled | selectattr('anchored') | list | length) > 0 if kind == 'all'
            else (compiled | rejectattr('anchored') | list | length) == 0,
        'reads_contact_features': (compiled | selectattr('reads_contact_features') | list | length) > 0,
    }) -}}
{%- endmacro -%}

{%- macro compile_not_rule(segment_name, node, path, context) -%}
    {{- _check_keys(segment_name, node, path, ['not']) -}}
    {%- set inner = compile_segment_rule(segment_name, node['not'], path, context) -%}
    {{- return({
        'condition': 'not coalesce(' ~ inner.condition ~ ', false)',
        'reason': string_literal('not ' ~ inner.description),
        'description': 'not ' ~ inner.description,
        'anchored': false,
        'reads_contact_features': inner.reads_contact_features,
    }) -}}
{%- endmacro -%}
