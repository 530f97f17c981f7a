{#-
    Names of the segments whose activation.destinations lists `destination`, in
    var('segments') order. Read from the segment models' definitions (execute-time).
-#}
{%- macro synced_segments(destination) -%}
    {%- set names = [] -%}
    {%- for segment in segment_catalog() -%}
        {%- set definition = fromjson(segment.definition) -%}
        {%- if destination in definition.get('activation', {}).get('destinations', []) -%}
            {%- do names.append(segment.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro -%}
