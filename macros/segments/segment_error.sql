{#- Stop compilation with a message naming the segment, where in its rule, and the problem. -#}
{%- macro segment_error(segment_name, path, problem) -%}
    {{- exceptions.raise_compiler_error(
        "Segment '" ~ segment_name ~ "'" ~ (" at " ~ path if path else "") ~ ": " ~ problem
    ) -}}
{%- endmacro -%}
