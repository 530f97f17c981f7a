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
  Email: email
  Warehouse_Customer_Id__c: contact_id
  Customer_Tier__c: intent_stage
  Lifetime_Value__c: revenue_lifetime
  Order_Count__c: orders_lifetime
{% endset %}

{{ sync_model(fromyaml(mapping)) }}
