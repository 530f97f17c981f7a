{% set definition %}
rule:
  # the most recent checkout, at least an hour old and within 7 days, with no order since
  did_not_follow:
    event: checkout_started
    within_days: 7
    min_hours_ago: 1
    followed_by: order_completed
activation:
  destinations: [hubspot]
health:
  max_change_pct: 80
{% endset %}

{{ segment(fromyaml(definition)) }}
