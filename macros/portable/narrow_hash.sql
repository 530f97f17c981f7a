{#- A 64-bit hash of `expression`: a narrow stand-in for a long string key, for finding
    the few stored rows that may match a new key without reading every stored key (a
    match on the hash is then checked on the key itself). Engines hash differently; a
    table's hashes are only ever compared with hashes of the same engine. -#}
{%- macro narrow_hash(expression) -%}
    {{- adapter.dispatch('narrow_hash', 'audience_warehouse')(expression) -}}
{%- endmacro -%}

{%- macro default__narrow_hash(expression) -%}
    hash({{ expression }})
{%- endmacro -%}

{#- Spark's hash() has 32 bits: too many false matches over 100M keys. -#}
{%- macro spark__narrow_hash(expression) -%}
    xxhash64({{ expression }})
{%- endmacro -%}
