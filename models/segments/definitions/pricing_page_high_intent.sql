{% set definition %}
rule:
  feature: pricing_page_views_7d
  gte: 3
activation:
  destinations: [hubspot, salesforce]
{% endset %}

{{ segment(fromyaml(definition)) }}
