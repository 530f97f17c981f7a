"""The scale benchmark (issue 6): ``make bench`` / ``python -m bench``.

Each step runs as its own process and is measured from outside (wall time, peak
resident memory of the process tree); ``docs/benchmarks.md`` is written at the end.
Modules: ``config`` (scales, paths, times), ``measure`` (run and measure a process),
``machine`` (what ran it), ``project`` (snapshots of the dbt project, segment variants),
``variants`` (generated segment definitions), ``dbt_steps`` (data and dbt commands),
``floor`` (the hand-written floor query), ``compare`` (incremental == full rebuild),
``sync_steps`` (the project's sync engine against the HubSpot sandbox), ``drt_steps``
(drt-core against the same sandbox), ``results`` (figures and targets), ``report``
(the Markdown) and ``runner`` (the steps in order).
"""
