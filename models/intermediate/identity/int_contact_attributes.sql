{#-
    Every contact known at as_of with what it is rather than what it did: its identify
    traits (int_contacts_identified) and its CRM record's attributes, matched on the
    normalized email (listed for the segment compiler in contact_attribute_columns).
    contact_features starts from these rows; a segment whose features are all among
    these columns reads this view instead, so it does not wait for the behavioural
    features (segment()).
-#}

with

contacts as (

    select * from {{ ref('int_contacts_identified') }}

),

crm_contacts as (

    select * from {{ ref('int_crm_contacts_deduplicated') }}

),

final as (

    select
        contacts.*,
        crm_contacts.crm_contact_id,
        crm_contacts.lifecycle_stage,
        crm_contacts.company_name as crm_company_name,
        crm_contacts.industry,
        crm_contacts.employee_count,
        crm_contacts.country as crm_country

    from contacts
    left join crm_contacts
        on contacts.email = crm_contacts.email

)

select * from final
