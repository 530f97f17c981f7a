{% set definition %}
rule:
  all:
    - in_segment: inactive_90d
    - not:
        in_segment: email_suppressed
activation:
  destinations: [hubspot]
{% endset %}

{{ segment(fromyaml(definition)) }}
