{#-
    The relation of this project's model `name` as it exists in the warehouse now, or none
    (not built yet, not executing, or in a unit test). For reading a model's state before it runs from a
    model that runs before it, where ref() would make a cycle; the reader must not depend
    on it for anything but that state.
-#}
{%- macro existing_model_relation(name) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ name) -%}
    {%- if node is none -%}
        {{- exceptions.raise_compiler_error('existing_model_relation: no model named ' ~ name) -}}
    {%- endif -%}
    {{- return(adapter.get_relation(
        database=node.database, schema=node.schema, identifier=node.alias
    )) -}}
{%- endmacro -%}
