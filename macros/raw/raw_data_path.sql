{#- Folder holding the raw Parquet tables: $RAW_DATA_PATH/<table>/*.parquet. -#}
{%- macro raw_data_path() -%}
    {{- return(env_var('RAW_DATA_PATH', 'data/raw').rstrip('/')) -}}
{%- endmacro -%}
