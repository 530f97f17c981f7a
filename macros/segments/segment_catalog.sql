{#-
    One dict per segment in var('segments'): name, description, owner, kind (rule | sql),
    the definition as JSON (keys sorted: the same definition reads the same in every
    run), and its health thresholds (var('segment_health_defaults') overridden by the
    definition's health:). Read from the dbt graph, so execute-time only.
-#}
{%- macro segment_catalog() -%}
    {%- set rows = [] -%}
    {%- if not execute -%}
        {{- return(rows) -}}
    {%- endif -%}
    {%- set registered = var('segments') -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and 'segment' in node.tags -%}
        {%- if node.name not in registered -%}
            {{- exceptions.raise_compiler_error(
                "Segment model '" ~ node.name ~ "' (" ~ node.original_file_path ~ ") is not in "
                ~ "var('segments') in dbt_project.yml: add it there so its members are collected."
            ) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in registered -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ name) -%}
        {%- if node is none -%}
            {{- exceptions.raise_compiler_error(
                "var('segments') lists '" ~ name ~ "' but there is no model of that name "
                ~ "(expected models/segments/definitions/" ~ name ~ ".sql)."
            ) -}}
        {%- endif -%}
        {%- set definition = node.config.meta.get('segment', {}) -%}
        {%- set health = {} -%}
        {%- do health.update(var('segment_health_defaults')) -%}
        {%- do health.update(definition.get('health', {})) -%}
        {%- do rows.append({
            'name': name,
            'description': node.description,
            'owner': node.config.meta.get('owner'),
            'kind': definition.get('kind', 'rule'),
            'definition': tojson(definition, sort_keys=true),
            'health': health,
        }) -%}
    {%- endfor -%}
    {{- return(rows) -}}
{%- endmacro -%}
