{% set definition %}
rule:
  # 2+ distinct pieces of content on the same topic
  events:
    event: content_downloaded
    within_days: 30
    where:
      content_topic: {is_null: false}
    group_by: content_topic
    count_distinct: content_id
    gte: 2
activation:
  destinations: [hubspot]
{% endset %}

{{ segment(fromyaml(definition)) }}
