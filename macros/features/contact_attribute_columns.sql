{#-
    The columns of int_contact_attributes, known when dbt parses: the contact's id, its
    identify traits and its CRM record's attributes. A segment whose features are all
    among them reads that view instead of contact_features (segment()): dbt fixes a
    model's dependencies when it parses, before any table's columns can be looked up.
    segment() still checks the features against the view's columns when it runs, so a
    name listed here that the view lacks fails that segment's compilation.
-#}
{%- macro contact_attribute_columns() -%}
    {{- return(['contact_id'] + identify_traits() + [
        'crm_contact_id', 'lifecycle_stage', 'crm_company_name', 'industry', 'employee_count',
        'crm_country',
    ]) -}}
{%- endmacro -%}
