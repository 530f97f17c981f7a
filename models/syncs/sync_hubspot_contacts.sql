{#- What HubSpot's contacts receive: properties, and one MANUAL list + flag per segment. -#}
{% set mapping %}
destination: hubspot
object: contacts
match_key: email
include: segment_members
fields:
  # HubSpot property: contact_features column
  firstname: first_name
  lastname: last_name
  company: crm_company_name
  phone: phone
  jobtitle: job_title
  aw_intent_stage: intent_stage
  aw_last_action_at: last_action_at
  aw_pricing_page_views_7d: pricing_page_views_7d
  aw_sessions_30d: sessions_30d
  aw_orders_lifetime: orders_lifetime
  aw_revenue_lifetime: revenue_lifetime
  aw_email_suppressed: is_email_suppressed
{% endset %}

{{ sync_model(fromyaml(mapping)) }}
