"""Map dbt resources to Dagster asset groups by the folder they live in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster_dbt import DagsterDbtTranslator

# Longest prefix wins, so list order does not matter; paths are relative to the project.
GROUP_BY_FOLDER: dict[str, str] = {
    "models/staging/": "staging",
    "models/intermediate/identity/": "identity",
    "models/intermediate/rollups/": "identity",
    "models/intermediate/events/": "features",
    "models/intermediate/activity/": "features",
    "models/marts/": "features",
    "models/segments/": "segments",
    "models/syncs/": "syncs",
    "seeds/": "staging",
}


def group_for_path(path: str) -> str | None:
    """The group of a file at `path` (e.g. models/marts/contact_features.sql), or None."""
    path = path.replace("\\", "/")
    matches = [prefix for prefix in GROUP_BY_FOLDER if path.startswith(prefix)]
    return GROUP_BY_FOLDER[max(matches, key=len)] if matches else None


class AudienceDbtTranslator(DagsterDbtTranslator):
    """Groups by folder; everything else (keys, checks from dbt tests) is dagster-dbt's default.

    dbt tests become asset checks by default (DagsterDbtTranslatorSettings.enable_asset_checks
    is True in dagster-dbt 0.29).
    """

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        path = dbt_resource_props.get("original_file_path") or ""
        return group_for_path(path) or super().get_group_name(dbt_resource_props)
