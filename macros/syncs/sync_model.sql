{#-
    The body of a sync model (models/syncs/sync_<destination>_<object>.sql): exactly what
    one destination object receives, one row per record, from a mapping (YAML in the
    model file, parsed with fromyaml):
      destination   hubspot | salesforce | ...  (segments whose activation.destinations
                    lists it are synced)
      object        the destination object (contacts, Contact, Lead, ...)
      match_key     the destination field the record is matched on (its value is the
                    contact's normalized email)
      fields        destination field: contact_features column
      include       segment_members (default: contacts in at least one synced segment)
                    or all_contacts (every contact with an email)
    Contacts are never merged, but a destination matched by email holds one record per
    email: contacts sharing one (a team inbox) share the record, with the fields of the
    most recently seen of them and the union of their segments (the records come from
    int_contacts_grouped_by_email, grouped once for every sync model).
    Columns: record_key (the normalized email), contact_ids (';'-joined), one column per mapped field
    (named as in the destination), segments (the synced segments the contact is in,
    sorted and joined with ';'), and one boolean column per synced segment
    (segment__<name>), so destinations can use flags, lists or a multi-select.
-#}
{%- macro sync_model(mapping) -%}
    {%- set sync_name = model.name if model.resource_type != 'unit_test' else this.identifier -%}
    {%- for key in ['destination', 'object', 'match_key', 'fields'] -%}
        {%- if mapping[key] is not defined -%}
            {{ exceptions.raise_compiler_error("Sync '" ~ sync_name ~ "': the mapping needs " ~ key ~ ":") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set include = mapping.get('include', 'segment_members') -%}
    {%- if include not in ['segment_members', 'all_contacts'] -%}
        {{ exceptions.raise_compiler_error(
            "Sync '" ~ sync_name ~ "': include must be segment_members or all_contacts, got " ~ include) }}
    {%- endif -%}
    {%- set features = segment_columns_of(ref('contact_features')) -%}
    {%- for field, column in mapping.fields.items() -%}
        {%- if features and column | lower not in features -%}
            {{ exceptions.raise_compiler_error(
                "Sync '" ~ sync_name ~ "': field " ~ field ~ " maps to unknown contact_features column '"
                ~ column ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set synced = synced_segments(mapping.destination) -%}
    {{ config(meta={'sync': mapping}) }}

with

{# read twice, each for a few columns: scanning the table again is cheaper than storing
    every column of it once #}
contact_features as {{ not_materialized() }} (

    select * from {{ ref('contact_features') }}
    where email is not null

),

memberships as (

    select * from {{ ref('int_segment_members_unioned') }}
    {%- if synced %}
    where segment_name in ('{{ synced | join("', '") }}')
    {%- else %}
    where 1 = 0
    {%- endif %}

),

{#- one record per email: contacts sharing an email (a team inbox) share the record -#}
records as (

    select * from {{ ref('int_contacts_grouped_by_email') }}

),

representatives as (

    select
        contact_features.*,
        records.contact_ids

    from records
    inner join contact_features
        on records.representative_contact_id = contact_features.contact_id

),

{#- A record's segments as bits of a few integers (`bits` segments each), or-ed per email:
    a handful of aggregates per record instead of one per segment over every membership
    row, and no sorted string aggregate. bit_or needs no distinct (email, segment) first:
    contacts sharing an email and a segment set the same bit. The flags and the sorted
    list are read back from the bits. #}
{%- set bits = 62 %}{#- bits 0 to 61: inside a signed bigint -#}
{%- set masks = ((synced | length) + bits - 1) // bits %}
{%- if synced %}

segment_bits as (
    {%- for segment in synced %}

    select
        '{{ segment }}' as segment_name,
        {{ loop.index0 // bits }} as mask_number,
        cast({{ 2 ** (loop.index0 % bits) }} as bigint) as segment_bit
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),
{%- endif %}

{# per contact first (short keys, one row per membership), then per email (one row per
    contact) #}
contact_segment_masks as (

    select
        memberships.contact_id
        {%- for mask in range(masks) %},
        cast(bit_or(
            case when segment_bits.mask_number = {{ mask }} then segment_bits.segment_bit else 0 end
        ) as bigint) as segment_mask_{{ mask }}
        {%- endfor %}

    from memberships
    {%- if synced %}
    inner join segment_bits
        on memberships.segment_name = segment_bits.segment_name
    {%- endif %}
    group by memberships.contact_id

),

email_segment_masks as (

    select
        contact_features.email
        {%- for mask in range(masks) %},
        cast(bit_or(contact_segment_masks.segment_mask_{{ mask }}) as bigint) as segment_mask_{{ mask }}
        {%- endfor %}

    from contact_segment_masks
    inner join contact_features
        on contact_segment_masks.contact_id = contact_features.contact_id
    group by contact_features.email

),

email_segment_flags as (

    select
        email
        {%- for segment in synced %},
        (segment_mask_{{ loop.index0 // bits }} & {{ 2 ** (loop.index0 % bits) }}) <> 0 as segment__{{ segment }}
        {%- endfor %}

    from email_segment_masks

),

email_segment_lists as (

    select
        *,
        {%- if synced %}
        concat_ws(
            ';'
            {%- for segment in synced | sort(case_sensitive=true) %},
            case when segment__{{ segment }} then '{{ segment }}' end
            {%- endfor %}
        ) as segments
        {%- else %}
        '' as segments
        {%- endif %}

    from email_segment_flags

),

final as (

    select
        representatives.email as record_key,
        representatives.contact_ids,
        {%- for field, column in mapping.fields.items() %}
        representatives.{{ column }} as {{ adapter.quote(field) }},
        {%- endfor %}
        coalesce(email_segment_lists.segments, '') as segments
        {%- for segment in synced %},
        coalesce(email_segment_lists.segment__{{ segment }}, false) as segment__{{ segment }}
        {%- endfor %}

    from representatives
    {{ 'inner' if include == 'segment_members' else 'left' }} join email_segment_lists
        on representatives.email = email_segment_lists.email

)

select * from final
{%- endmacro -%}
