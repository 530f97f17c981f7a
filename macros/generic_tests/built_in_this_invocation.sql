{#-
    True when this invocation is a `dbt build` that selected the model stored in
    `relation`: the model ran just before its tests, so what it wrote carries this
    invocation's load_stamp().
-#}
{%- macro built_in_this_invocation(relation) -%}
    {%- if not execute or flags.WHICH != 'build' -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.unique_id in selected_resources
            and (node.alias or node.name) | lower == relation.identifier | lower
            and node.schema | lower == relation.schema | lower -%}
            {{- return(true) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(false) -}}
{%- endmacro -%}
