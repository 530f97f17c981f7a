{#-
    A select of the rows of `intervals` (a relation or CTE with the `partition_by` columns,
    session_started_at, session_ended_at and max_received_at: one row per user action, or
    per session already known) with is_session_start: whether the row starts a session of
    its partition, i.e. no earlier-starting row of the partition ends less than
    var('session_timeout_minutes') before it starts. Merging known sessions this way is the
    same as sessionizing all their actions: inside a session no gap reaches the timeout.
    Rows starting at the same instant come latest max_received_at first, so at most one of
    them starts a session and it carries the latest receipt at that instant.
-#}
{%- macro session_starts_flagged(intervals, partition_by) -%}
    {%- set timeout = var('session_timeout_minutes') | int -%}
    {%- set keys = partition_by | join(', ') -%}
    {%- set order = 'session_started_at asc, max_received_at desc' -%}
    select
        {{ keys }},
        session_started_at,
        session_ended_at,
        max_received_at,
        coalesce(
            session_started_at >= {{ dbt.dateadd('minute', timeout, 'previous_ended_at') }},
            true
        ) as is_session_start

    from (
        select
            *,
            max(session_ended_at) over (
                partition by {{ keys }}
                order by {{ order }}
                rows between unbounded preceding and 1 preceding
            ) as previous_ended_at

        from {{ intervals }}
    ) as with_previous
{%- endmacro -%}
