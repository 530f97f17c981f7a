{% set definition %}
rule:
  # on one UTC day, clicks in 2+ distinct emails
  events:
    event: email_link_clicked
    within_days: 30
    group_by: occurred_on
    count_distinct: email_id
    gte: 2
activation:
  destinations: [hubspot]
{% endset %}

{{ segment(fromyaml(definition)) }}
