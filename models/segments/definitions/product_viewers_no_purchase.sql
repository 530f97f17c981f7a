{% set definition %}
rule:
  all:
    - feature: product_views_14d
      gte: 1
    - feature: orders_14d
      eq: 0
activation:
  destinations: [hubspot]
{% endset %}

{{ segment(fromyaml(definition)) }}
