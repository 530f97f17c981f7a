{% set definition %}
rule:
  all:
    - feature: industry
      in: [Software, Financial Services, Healthcare]
    - feature: employee_count
      between: [50, 5000]
    - feature: user_actions_30d
      gte: 1
activation:
  destinations: [hubspot, salesforce]
{% endset %}

{{ segment(fromyaml(definition)) }}
