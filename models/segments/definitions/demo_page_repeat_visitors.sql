{% set definition %}
rule:
  feature: demo_page_views_7d
  gte: 2
activation:
  destinations: [hubspot, salesforce]
{% endset %}

{{ segment(fromyaml(definition)) }}
