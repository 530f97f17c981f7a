{#-
    "Now" for every time window: var('as_of') (ISO-8601, UTC), else the environment
    variable AW_AS_OF, else the time the run started. get_as_of() returns a naive UTC
    datetime for Jinja; as_of() renders it as a SQL literal.

    dbt re-parses the whole project whenever --vars change, so a fixed clock given as a
    var costs a full parse per run; AW_AS_OF does not. It is read only while executing
    (parsing needs no as_of), so dbt does not record it as a parse input either.
-#}
{%- macro get_as_of() -%}
    {%- set raw = var('as_of', none) -%}
    {%- if (raw is none or raw == '') and execute -%}
        {%- set raw = env_var('AW_AS_OF', '') -%}
    {%- endif -%}
    {%- if raw is none or raw == '' -%}
        {%- set parsed = run_started_at -%}
    {%- else -%}
        {%- set text = (raw | string).strip() -%}
        {%- if text.endswith('Z') or text.endswith('z') -%}
            {%- set text = text[:-1] ~ '+00:00' -%}
        {%- endif -%}
        {%- set parsed = none -%}
        {%- if modules.re.match('^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?([+-]\d{2}:\d{2})?$', text) -%}
            {%- set parsed = modules.datetime.datetime.fromisoformat(text) -%}
        {%- endif -%}
        {%- if parsed is none -%}
            {{- exceptions.raise_compiler_error(
                "as_of '" ~ raw ~ "' (var as_of or AW_AS_OF) is not an ISO-8601 timestamp; use e.g. "
                ~ "'2026-11-23T09:30:00Z' or '2026-11-23'."
            ) -}}
        {%- endif -%}
    {%- endif -%}
    {%- if parsed.tzinfo is not none -%}
        {%- set parsed = parsed.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
    {%- endif -%}
    {{- return(parsed) -}}
{%- endmacro -%}

{%- macro as_of() -%}
    cast('{{ get_as_of().strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro -%}
