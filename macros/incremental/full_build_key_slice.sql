{#-
    Slices of a full build (full_build_slices) by key, for an aggregate into one row per
    key with many keys: `where {{ full_build_key_slice('contact_id') }}` keeps one of
    var('full_build_key_slices') hash buckets of `column` per statement. Every row of the
    model must depend on one key's input rows only. Renders `true` on an incremental run,
    in unit tests and with one bucket.
-#}
{%- macro full_build_key_slice(column) -%}
    {%- set buckets = var('full_build_key_slices') | int -%}
    {%- set predicates = [] -%}
    {%- if is_full_build_run() and buckets > 1 -%}
        {%- for bucket in range(buckets) -%}
            {%- do predicates.append(hash_bucket(column, buckets) ~ ' = ' ~ bucket) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- full_build_slices(predicates) -}}
{%- endmacro -%}
