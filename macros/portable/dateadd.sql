{#-
    dbt.dateadd on Spark. dbt-spark's own version goes through unix seconds and drops the
    microseconds, so `received_at + 1 day` or `previous action + 30 minutes` would move by
    up to a second and decide quarantine or a session start differently from DuckDB.
    timestampadd keeps every microsecond. (dbt's wrapper dispatches here first: see the
    dispatch search order in dbt_project.yml.)
-#}
{%- macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro -%}
