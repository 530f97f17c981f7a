"""A PySpark session on the spark target's warehouse, configured from profiles.yml.

dbt-spark's `session` method starts Spark inside the dbt process; anything else that reads
what dbt built (the engine check, the sync reader) starts the same session here, from the
`spark` output's server_side_parameters, so both see the same catalog (the Derby metastore)
and warehouse folder. Needs the `spark` extra (`pip install -e '.[spark]'`) and Java 17.
Only one process at a time can open the embedded metastore: not while dbt is running.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import yaml

from audience_warehouse.settings import PROJECT_DIR

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _render(value: object, environ: Mapping[str, str]) -> str:
    """A profiles.yml value with its {{ env_var('NAME', 'default') }} calls filled in."""

    def env_var(name: str, default: str | None = None) -> str:
        if name in environ:
            return environ[name]
        if default is None:
            raise KeyError(f"environment variable {name} is not set")
        return default

    return jinja2.Template(str(value)).render(env_var=env_var)


def spark_target(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The `spark` output of profiles.yml, rendered: schema and server_side_parameters."""
    environ = os.environ if environ is None else environ
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())
    output = profiles["audience_warehouse"]["outputs"]["spark"]
    return {
        "schema": _render(output["schema"], environ),
        "conf": {
            key: _render(value, environ)
            for key, value in (output.get("server_side_parameters") or {}).items()
        },
    }


def spark_session(environ: Mapping[str, str] | None = None) -> SparkSession:
    """The session dbt's spark target uses (SPARK_WAREHOUSE_DIR and friends apply).

    Relative folders resolve against the project folder, as they do for dbt."""
    from pyspark.sql import SparkSession

    target = spark_target(environ)
    builder = SparkSession.builder.enableHiveSupport()
    cwd = Path.cwd()
    try:
        os.chdir(PROJECT_DIR)  # the JVM starts here, so relative paths match dbt's
        for key, value in target["conf"].items():
            builder = builder.config(key, value)
        # dbt-spark forces this too (connections.py): the same SQL semantics as dbt's runs
        builder = builder.config("spark.sql.ansi.enabled", "false")
        return builder.getOrCreate()
    finally:
        os.chdir(cwd)
