"""The dbt CLI resource: runs dbt in the project folder with the project's profiles.yml.

The dbt subprocess inherits the environment, so RAW_DATA_PATH and WAREHOUSE_PATH reach
profiles.yml and the raw-source macros exactly as they do for `make run`.
"""

from __future__ import annotations

from dagster_dbt import DbtCliResource

from audience_warehouse.dbt_runner import dbt_executable
from orchestration.dbt.project import dbt_project

# The dbt beside the running Python (the project's .venv), whether or not it is on PATH.
dbt_resource = DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
