{#- Which of `buckets` buckets a value falls in, 0 to buckets - 1, by a hash of it (a null
    value has a bucket too). -#}
{%- macro hash_bucket(expression, buckets) -%}
    {{- adapter.dispatch('hash_bucket', 'audience_warehouse')(expression, buckets) -}}
{%- endmacro -%}

{%- macro default__hash_bucket(expression, buckets) -%}
    hash({{ expression }}) % {{ buckets }}
{%- endmacro -%}

{#- Spark's hash() is a signed 32-bit integer: pmod keeps the bucket non-negative. -#}
{%- macro spark__hash_bucket(expression, buckets) -%}
    pmod(hash({{ expression }}), {{ buckets }})
{%- endmacro -%}
