{#- What Salesforce Contacts receive, upserted on the external id Email__c. -#}
{% set mapping %}
destination: salesforce
object: Contact
match_key: Email__c
include: segment_members
fields:
  # Salesforce field: contact_features column
  FirstName: first_name
  LastName: last_name
  Title: job_title
  Intent_Stage__c: intent_stage
  Pricing_Page_Views_7d__c: pricing_page_views_7d
  Lifetime_Revenue__c: revenue_lifetime
  Email_Suppressed__c: is_email_suppressed
{% endset %}

{{ sync_model(fromyaml(mapping)) }}
