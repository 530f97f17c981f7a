{% set definition %}
rule:
  # including contacts with no action ever
  inactive:
    days: 90
activation:
  destinations: [hubspot]
{% endset %}

{{ segment(fromyaml(definition)) }}
