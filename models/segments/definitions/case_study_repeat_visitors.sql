{% set definition %}
rule:
  feature: case_study_page_views_30d
  gte: 3
activation:
  destinations: [hubspot]
{% endset %}

{{ segment(fromyaml(definition)) }}
