"""The dbt project Dagster builds: this repository, with its own profiles.yml.

`prepare_if_dev()` re-parses the project (writing target/manifest.json) under `dagster dev`;
elsewhere the manifest must exist beforehand (`dbt parse`, or
`dagster-dbt project prepare-and-package` when deploying; the tests run `dbt parse`).
"""

from __future__ import annotations

from dagster_dbt import DbtProject

from audience_warehouse.settings import PROJECT_DIR

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
dbt_project.prepare_if_dev()
