{#- The README's worked example: not a reference segment. -#}
{% set definition %}
rule:
  all:
    # arrived from a paid campaign in the last 30 days
    - events:
        event: page_viewed
        within_days: 30
        where:
          utm_medium: {in: [cpc, paid_social]}
    # and either looked at enterprise pricing in 14 days or spent 500+ in 90 days
    - any:
        - events:
            event: page_viewed
            within_days: 14
            where:
              page_path: {path_prefix: /pricing/enterprise}
        - events:
            event: order_completed
            within_days: 90
            sum: order_revenue
            gte: 500
    # and is not a customer yet (contacts with no CRM record count as not customers)
    - not:
        feature: lifecycle_stage
        in: [customer]
activation:
  destinations: [salesforce]
health:
  min_members: 0
{% endset %}

{{ segment(fromyaml(definition)) }}
