{#-
    For a model that keeps per-contact state at as_of (each row stamped with the as_of it
    was evaluated at): the as_of of its last run when this run recomputes only the
    contacts that changed since (as_of moved forward, or stayed), none when it recomputes
    every contact (a first run, a full refresh, as_of moved back).
-#}
{%- macro recompute_changed_contacts_since() -%}
    {%- set previous = previous_as_of() -%}
    {{- return(previous if previous is not none and previous <= get_as_of() else none) -}}
{%- endmacro -%}
