{#-
    The earliest occurred_on among rows of `relation` loaded since this model's last run
    (loaded_since_last_run), as a date literal: lets an incremental model that recomputes
    whole days prune everything older. Renders a far-future date when nothing is new
    (nothing to recompute), and a far-past one in unit tests (whose fixture rows are all
    "new") and on a model's first run.
-#}
{%- macro earliest_day_loaded_since_last_run(relation) -%}
    {%- set earliest = none -%}
    {%- if execute and model.resource_type == 'unit_test' -%}
        {%- set earliest = modules.datetime.date(1900, 1, 1) -%}
    {%- elif execute -%}
        {%- set result = run_query(
            'select min(occurred_on) from ' ~ relation ~ ' ' ~ loaded_since_last_run()
        ) -%}
        {%- set earliest = result.columns[0].values()[0] -%}
    {%- endif -%}
    cast('{{ earliest.strftime("%Y-%m-%d") if earliest is not none else "9999-12-31" }}' as date)
{%- endmacro -%}
