{#-
    The identify traits every contact carries (int_contact_traits_latest keeps each one's
    most recent non-null value; int_contacts_identified and contact_features show them).
-#}
{%- macro identify_traits() -%}
    {{- return([
        'email', 'first_name', 'last_name', 'phone', 'company_name', 'job_title', 'country',
    ]) -}}
{%- endmacro -%}
