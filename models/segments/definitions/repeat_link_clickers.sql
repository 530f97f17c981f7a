{% set definition %}
rule:
  # the same link clicked in emails of 2+ distinct campaigns
  events:
    event: email_link_clicked
    within_days: 30
    where:
      link_url: {is_null: false}
    group_by: link_url
    count_distinct: campaign_id
    gte: 2
activation:
  destinations: [hubspot]
{% endset %}

{{ segment(fromyaml(definition)) }}
