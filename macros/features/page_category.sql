{#-
    The category of a page path per var('page_categories'): a path is in a category when it
    equals the prefix or starts with the prefix followed by "/". First match wins.
-#}
{%- macro page_category(path_column) -%}
    case
    {%- for category, prefix in var('page_categories').items() %}
        when
            {{ path_column }} = '{{ prefix }}'
            or substring({{ path_column }}, 1, {{ prefix | length + 1 }}) = '{{ prefix }}/'
            then '{{ category }}'
    {%- endfor %}
    end
{%- endmacro -%}
