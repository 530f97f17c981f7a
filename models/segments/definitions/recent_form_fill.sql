{% set definition %}
rule:
  events:
    event: form_submitted
    within_hours: 24
activation:
  destinations: [hubspot, salesforce]
health:
  max_change_pct: 100
{% endset %}

{{ segment(fromyaml(definition)) }}
