{% set definition %}
rule:
  # must leave every email list
  any:
    - feature: is_hard_bounced
      eq: true
    - feature: is_unsubscribed
      eq: true
activation:
  destinations: [hubspot, salesforce]
health:
  min_members: 0
{% endset %}

{{ segment(fromyaml(definition)) }}
