{#-
    The as_of this incremental model was last evaluated at: the newest `column` it holds
    (each row stamped with the as_of of the run that wrote it), as a naive UTC datetime;
    none on a full build or when it holds no row. In unit tests that set is_incremental,
    the day before as_of (the fixture of `this` stands for the previous run).
-#}
{%- macro previous_as_of(column='evaluated_as_of') -%}
    {%- if not execute or not is_incremental() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{- return(get_as_of() - modules.datetime.timedelta(days=1)) -}}
    {%- endif -%}
    {%- set previous = run_query('select max(' ~ column ~ ') from ' ~ this).columns[0].values()[0] -%}
    {%- if previous is not none and previous.tzinfo is not none -%}
        {%- set previous = previous.replace(tzinfo=none) -%}
    {%- endif -%}
    {{- return(previous) -}}
{%- endmacro -%}
